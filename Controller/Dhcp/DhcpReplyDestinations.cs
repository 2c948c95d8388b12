using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using Protocol.Common;

namespace Controller.Dhcp;

/// <summary>
/// Where the DHCP host sends a reply (RFC 2131 §4.1): the relay's server port 67 when the server
/// names the relay (giaddr), else the client's port 68 at the address the server says
/// (255.255.255.255 or <c>ciaddr</c>); a loopback source (the bench) is answered at itself.
/// Addresses are kept per (address, port), at most <see cref="MaxCached"/>, so the steady state
/// does not allocate one per reply.
/// </summary>
public sealed class DhcpReplyDestinations
{
    /// <summary>Destinations kept; one more clears the cache (a flood from ever new addresses stays bounded).</summary>
    public const int MaxCached = 1024;

    public const int ClientPort = 68;
    public const int ServerPort = 67;

    private readonly Dictionary<ulong, SocketAddress> _cached = new();
    private readonly SocketAddress _broadcast = new IPEndPoint(IPAddress.Broadcast, ClientPort).Serialize();

    /// <summary>Destinations kept now.</summary>
    public int CachedCount => _cached.Count;

    /// <summary>giaddr: bytes 24-27 of the BOOTP header, 0 when the datagram is shorter (the server only answers well-formed requests).</summary>
    public static uint RelayAddress(byte[] request, int length)
    {
        return length < 28 ? 0 : ((uint)request[24] << 24) | ((uint)request[25] << 16) | ((uint)request[26] << 8) | request[27];
    }

    /// <summary>The address to send to: <paramref name="source"/> is where the request came from (its buffer is reused, so a loopback source is answered at a copy).</summary>
    public SocketAddress For(SocketAddress source, uint destination, uint relay)
    {
        Span<byte> from = source.Buffer.Span;
        uint sourceAddress = ((uint)from[4] << 24) | ((uint)from[5] << 16) | ((uint)from[6] << 8) | from[7];
        int sourcePort = (from[2] << 8) | from[3];
        if ((sourceAddress >> 24) == 127)
        {
            return Cached(sourceAddress, sourcePort);
        }

        if (destination == Ipv4.Broadcast)
        {
            return _broadcast;
        }

        return Cached(destination, relay != 0 && destination == relay ? ServerPort : ClientPort);
    }

    private SocketAddress Cached(uint address, int port)
    {
        ulong key = ((ulong)address << 16) | (uint)port;
        if (!_cached.TryGetValue(key, out SocketAddress? socketAddress))
        {
            if (_cached.Count >= MaxCached)
            {
                _cached.Clear();
            }

            IPAddress ip = new(new[] { (byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address });
            socketAddress = new IPEndPoint(ip, port).Serialize();
            _cached[key] = socketAddress;
        }

        return socketAddress;
    }
}
