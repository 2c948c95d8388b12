using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Hal.Host;
using Protocol.Common;
using Protocol.Dns;

namespace PhoneFirmware.Host;

/// <summary>
/// Looks up a name's IPv4 address at the DNS servers the lease named (option 6), not at the
/// machine's resolver: the phone on its own segment knows only what DHCP told it. The codec is
/// the portable Protocol.Dns; this is its UDP I/O, handed to <see cref="HostNetworkInterface"/>. One A query
/// over UDP per server, tried in order, twice each; blocks for at most
/// servers × <see cref="Attempts"/> × <see cref="TimeoutMilliseconds"/>.
/// </summary>
public static class LeaseDnsResolver
{
    public const int Attempts = 2;
    public const int TimeoutMilliseconds = 1000;
    private const int DnsPort = 53;
    private const int NoSuchName = 3;

    /// <summary>The first address the first answering server gives; 0 when none does or the name does not exist.</summary>
    public static uint Resolve(string name, uint[] servers)
    {
        if (!DnsQuery.IsHostName(name))
        {
            return 0;
        }

        byte[] buffer = new byte[1500];
        foreach (uint server in servers)
        {
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                ushort id = (ushort)RandomNumberGenerator.GetInt32(0x10000);
                int outcome = Ask(server, id, name, buffer, out uint address);
                if (outcome == 0)
                {
                    return address;
                }

                if (outcome == NoSuchName)
                {
                    return 0;
                }

                if (outcome > 0)
                {
                    break; // this server answered without an address: try the next one
                }
            }
        }

        return 0;
    }

    // 0 with an address; an RCODE (or 256: no A record) when the server answered without one; -1 on silence.
    private static int Ask(uint server, ushort id, string name, byte[] buffer, out uint address)
    {
        address = 0;
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        IPEndPoint endpoint = new(HostAddresses.ToIPAddress(server), DnsPort);
        try
        {
            socket.Connect(endpoint);
            socket.Send(DnsQuery.Encode(id, name));
            DateTime until = DateTime.UtcNow.AddMilliseconds(TimeoutMilliseconds);
            while (true)
            {
                int left = (int)(until - DateTime.UtcNow).TotalMilliseconds;
                if (left <= 0 || !socket.Poll(left * 1000, SelectMode.SelectRead))
                {
                    return -1;
                }

                int length = socket.Receive(buffer);
                DnsResponse response;
                try
                {
                    response = DnsResponse.Parse(buffer, 0, length);
                }
                catch (ProtocolParseException)
                {
                    continue; // not an answer we can read: keep waiting for one
                }

                if (response.Id != id || !response.IsResponse || !string.Equals(response.QuestionName, name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (response.ResponseCode != 0)
                {
                    return response.ResponseCode;
                }

                if (response.Addresses.Length == 0)
                {
                    return 256;
                }

                address = response.Addresses[0];
                return 0;
            }
        }
        catch (SocketException)
        {
            // unreachable server (ICMP): as if it stayed silent
            return -1;
        }
    }
}
