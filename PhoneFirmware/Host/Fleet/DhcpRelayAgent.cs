using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Hal.Host;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// The fleet as a DHCP relay agent (RFC 1542 §4), as perfdhcp drives a server: every phone's
/// request leaves from the relay address's port 67, unicast to the server's port 67, with giaddr
/// set to the relay address and hops counted; the server answers the relay at port 67 and the
/// agent hands each reply to the phone whose MAC it names (chaddr). One socket and one receiving
/// thread for the whole fleet. Binding port 67 needs root (or CAP_NET_BIND_SERVICE).
/// </summary>
public sealed class DhcpRelayAgent : IDisposable
{
    /// <summary>BOOTP header offsets (RFC 2131 §2).</summary>
    private const int HopsOffset = 3;
    private const int GiaddrOffset = 24;
    private const int ChaddrOffset = 28;
    private const int MinimumMessage = 236;

    /// <summary>The relay socket's SO_RCVBUF request.</summary>
    public const int ReceiveBufferBytes = 8 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly uint _relayAddress;
    private readonly IPEndPoint _server;
    private readonly ConcurrentDictionary<long, RelayedDhcpSocket> _byMac = new();
    private readonly Thread _receiver;
    private long _dropped;

    public DhcpRelayAgent(IPAddress relayAddress, uint serverAddress, int serverPort)
    {
        _relayAddress = HostAddresses.FromIPAddress(relayAddress);
        _server = new IPEndPoint(HostAddresses.ToIPAddress(serverAddress), serverPort);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);

        // Every phone's OFFER and ACK arrive here, thousands at once in a storm: the default buffer
        // (about 200 KiB, some 300 replies) overflowed and the lost phones waited out DHCP's back-off.
        SocketReceiveBuffer.Enlarge(_socket, ReceiveBufferBytes);
        _socket.Bind(new IPEndPoint(relayAddress, 67));
        _receiver = new Thread(Receive) { IsBackground = true, Name = "fleet-relay" };
        _receiver.Start();
    }

    /// <summary>The receive buffer the kernel granted for <see cref="ReceiveBufferBytes"/>.</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    /// <summary>Replies that named no phone of this fleet (another shard's, or not DHCP at all).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Forwards one of a phone's requests to the server as the relay.</summary>
    public void Forward(byte[] data, int offset, int count)
    {
        if (count < MinimumMessage)
        {
            return; // not a BOOTP message: the client never sends one
        }

        byte[] relayed = new byte[count];
        Array.Copy(data, offset, relayed, 0, count);
        if (relayed[GiaddrOffset] == 0 && relayed[GiaddrOffset + 1] == 0 && relayed[GiaddrOffset + 2] == 0 && relayed[GiaddrOffset + 3] == 0)
        {
            Protocol.Common.Ipv4.Write(relayed, GiaddrOffset, _relayAddress);
        }

        relayed[HopsOffset]++;
        try
        {
            _socket.SendTo(relayed, _server);
        }
        catch (SocketException)
        {
            // Best effort, as any UDP: the client retransmits.
        }
    }

    public void Register(byte[] mac, RelayedDhcpSocket socket)
    {
        _byMac[FleetOptions.MacToNumber(mac)] = socket;
    }

    public void Unregister(byte[] mac, RelayedDhcpSocket socket)
    {
        _byMac.TryRemove(new System.Collections.Generic.KeyValuePair<long, RelayedDhcpSocket>(FleetOptions.MacToNumber(mac), socket));
    }

    public void Dispose()
    {
        _socket.Dispose(); // ends the receiving thread's blocking receive
        _receiver.Join(TimeSpan.FromSeconds(2));
    }

    private void Receive()
    {
        byte[] buffer = new byte[1500];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            int count;
            try
            {
                count = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // an ICMP unreachable for an earlier send
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                return; // closed at shutdown
            }

            if (count < MinimumMessage || !_byMac.TryGetValue(MacKey(buffer), out RelayedDhcpSocket? target))
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            IPEndPoint sender = (IPEndPoint)from;
            target.Deliver(buffer, count, HostAddresses.FromIPAddress(sender.Address), sender.Port);
        }
    }

    private static long MacKey(byte[] message)
    {
        long value = 0;
        for (int i = 0; i < 6; i++)
        {
            value = (value << 8) | message[ChaddrOffset + i];
        }

        return value;
    }
}
