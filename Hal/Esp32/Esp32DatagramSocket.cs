using System;
using System.Net;
using System.Net.Sockets;

namespace Hal.Esp32;

/// <summary>
/// A UDP socket on nanoFramework's System.Net (lwIP underneath). nanoFramework sockets always
/// block, so every receive is guarded by a zero-timeout Poll and never waits. The real library
/// throws SocketException for network errors and ObjectDisposedException for a socket already
/// closed: neither escapes; a closed socket is reported once to the <see cref="DriverFaults"/>.
/// </summary>
public sealed class Esp32DatagramSocket : IDatagramSocket
{
    private readonly Socket _socket;
    private readonly DriverFaults _faults;
    private readonly int _port;
    private bool _reportedClosed;

    public Esp32DatagramSocket(int localPort, bool broadcast, DriverFaults faults)
    {
        _faults = faults;
        _port = localPort;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        if (broadcast)
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Broadcast, true);
        }

        _socket.Bind(new IPEndPoint(IPAddress.Any, localPort));
    }

    public int LocalPort
    {
        get
        {
            try
            {
                IPEndPoint? local = _socket.LocalEndPoint as IPEndPoint;
                return local == null ? _port : local.Port;
            }
            catch (ObjectDisposedException)
            {
                return _port;
            }
        }
    }

    public void Send(byte[] data, int offset, int count, uint address, int port)
    {
        try
        {
            _socket.SendTo(data, offset, count, SocketFlags.None, new IPEndPoint(Ipv4Address.ToIPAddress(address), port));
        }
        catch (SocketException)
        {
            // UDP is best effort: a lost datagram is the protocol's retransmission problem.
        }
        catch (ObjectDisposedException)
        {
            ReportClosed("send");
        }
    }

    public int Receive(byte[] buffer, out uint address, out int port)
    {
        address = 0;
        port = 0;
        try
        {
            if (!_socket.Poll(0, SelectMode.SelectRead) || _socket.Available <= 0)
            {
                return -1;
            }

            EndPoint sender = new IPEndPoint(IPAddress.Any, 0);
            int count = _socket.ReceiveFrom(buffer, 0, buffer.Length, SocketFlags.None, ref sender);
            IPEndPoint from = (IPEndPoint)sender;
            address = Ipv4Address.FromIPAddress(from.Address);
            port = from.Port;
            return count;
        }
        catch (SocketException)
        {
            return -1;
        }
        catch (ObjectDisposedException)
        {
            ReportClosed("receive");
            return -1;
        }
    }

    public void Close()
    {
        _reportedClosed = true; // a use after our own close is the caller's order, not a fault to report
        try
        {
            _socket.Close();
        }
        catch (Exception)
        {
            // already closed
        }
    }

    private void ReportClosed(string operation)
    {
        if (!_reportedClosed)
        {
            _reportedClosed = true;
            _faults.Report("socket", "UDP port " + _port.ToString() + ": " + operation + " on a closed socket");
        }
    }
}
