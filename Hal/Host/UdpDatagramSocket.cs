using System.Net;
using System.Net.Sockets;

namespace Hal.Host;

/// <summary>A non-blocking UDP socket bound to one local address and port.</summary>
public sealed class UdpDatagramSocket : IDatagramSocket
{
    private readonly Socket _socket;
    private EndPoint _anySender = new IPEndPoint(IPAddress.Any, 0);

    /// <param name="reuseAddress">
    /// SO_REUSEADDR (default on). Off for many sockets on one address (`phone fleet`): with it, Linux
    /// may give two sockets bound to port 0 the same port, and one of them then receives nothing.
    /// </param>
    public UdpDatagramSocket(IPAddress localAddress, int localPort, bool broadcast, string? bindToDevice, bool reuseAddress = true)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, reuseAddress);
        if (broadcast)
        {
            _socket.EnableBroadcast = true;
        }

        if (bindToDevice != null)
        {
            SocketDevice.BindToDevice(_socket, bindToDevice);
        }

        try
        {
            _socket.Bind(new IPEndPoint(localAddress, localPort));
        }
        catch
        {
            _socket.Dispose(); // a port in use: the caller may try another
            throw;
        }

        _socket.Blocking = false;
    }

    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>The socket itself, for a host loop that waits on readiness (`phone fleet`); never read it directly.</summary>
    public Socket PollHandle => _socket;

    public void Send(byte[] data, int offset, int count, uint address, int port)
    {
        try
        {
            _socket.SendTo(data, offset, count, SocketFlags.None, new IPEndPoint(HostAddresses.ToIPAddress(address), port));
        }
        catch (SocketException)
        {
            // UDP is best effort: an unreachable peer is the protocol's retransmission problem.
        }
    }

    public int Receive(byte[] buffer, out uint address, out int port)
    {
        address = 0;
        port = 0;
        try
        {
            if (_socket.Available <= 0)
            {
                return -1;
            }

            int count = _socket.ReceiveFrom(buffer, ref _anySender);
            IPEndPoint sender = (IPEndPoint)_anySender;
            address = HostAddresses.FromIPAddress(sender.Address);
            port = sender.Port;
            return count;
        }
        catch (SocketException)
        {
            // ICMP port unreachable surfaces here on Linux; nothing was received.
            return -1;
        }
    }

    public void Close()
    {
        _socket.Dispose();
    }
}
