using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace Hal.Host;

/// <summary>
/// A UDP socket on one named interface (Linux) that receives every datagram for its port arriving
/// on that interface, whatever its destination address. The phone's DHCP client runs before the
/// interface has an address; a server that sees the BROADCAST flag clear sends OFFER and ACK
/// unicast to the offered address (RFC 2131 §4.1), which the host's IP stack drops because that
/// address is not configured. The device's stack (lwIP) accepts such datagrams for the DHCP
/// client port; here an AF_PACKET socket on the interface does the same. Sending goes through an
/// ordinary UDP socket bound to the interface. Needs root (or CAP_NET_RAW).
/// </summary>
public sealed class InterfaceDatagramSocket : IDatagramSocket
{
    private const ushort EtherTypeIPv4 = 0x0800;
    private const int UdpProtocol = 17;
    private readonly UdpDatagramSocket _udp;
    private readonly Socket _link;
    private readonly byte[] _frame = new byte[65536];
    private readonly byte[] _discard = new byte[65536];

    public InterfaceDatagramSocket(int localPort, string interfaceName)
    {
        _udp = new UdpDatagramSocket(IPAddress.Any, localPort, true, interfaceName);
        try
        {
            int index = InterfaceIndex(interfaceName);
            _link = new Socket(AddressFamily.Packet, SocketType.Dgram, (ProtocolType)IPAddress.HostToNetworkOrder((short)EtherTypeIPv4));
            _link.Bind(new LinkLayerEndPoint(index, EtherTypeIPv4));
            _link.Blocking = false;
        }
        catch
        {
            _udp.Close();
            throw;
        }
    }

    public int LocalPort => _udp.LocalPort;

    public void Send(byte[] data, int offset, int count, uint address, int port)
    {
        _udp.Send(data, offset, count, address, port);
    }

    public int Receive(byte[] buffer, out uint address, out int port)
    {
        // The UDP socket sees a copy of the broadcasts the link socket sees: drop those copies.
        while (_udp.Receive(_discard, out _, out _) >= 0)
        {
        }

        address = 0;
        port = 0;
        try
        {
            while (_link.Available > 0)
            {
                int length = _link.Receive(_frame);
                int payload = UdpPayload(_frame, length, LocalPort, out int udpLength);
                if (payload < 0)
                {
                    continue;
                }

                int count = Math.Min(udpLength, buffer.Length);
                Array.Copy(_frame, payload, buffer, 0, count);
                address = ((uint)_frame[12] << 24) | ((uint)_frame[13] << 16) | ((uint)_frame[14] << 8) | _frame[15];
                port = (_frame[payload - 8] << 8) | _frame[payload - 7];
                return count;
            }
        }
        catch (SocketException)
        {
            // nothing readable
        }

        return -1;
    }

    public void Close()
    {
        _link.Dispose();
        _udp.Close();
    }

    // The offset of the UDP payload when the IPv4 packet is an unfragmented UDP datagram to
    // localPort, else -1. Checksums are not checked: on virtual links they are often left for
    // offload, and the DHCP codec rejects what does not parse.
    private static int UdpPayload(byte[] packet, int length, int localPort, out int udpLength)
    {
        udpLength = 0;
        if (length < 28 || packet[0] >> 4 != 4)
        {
            return -1;
        }

        int headerLength = (packet[0] & 0x0F) * 4;
        int totalLength = (packet[2] << 8) | packet[3];
        bool fragment = (packet[6] & 0x20) != 0 || (((packet[6] & 0x1F) << 8) | packet[7]) != 0;
        if (headerLength < 20 || totalLength > length || headerLength + 8 > totalLength || packet[9] != UdpProtocol || fragment)
        {
            return -1;
        }

        int destinationPort = (packet[headerLength + 2] << 8) | packet[headerLength + 3];
        udpLength = ((packet[headerLength + 4] << 8) | packet[headerLength + 5]) - 8;
        if (destinationPort != localPort || udpLength < 0 || headerLength + 8 + udpLength > totalLength)
        {
            return -1;
        }

        return headerLength + 8;
    }

    private static int InterfaceIndex(string interfaceName)
    {
        string path = Path.Combine("/sys/class/net", interfaceName, "ifindex");
        try
        {
            return int.Parse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (IOException error)
        {
            throw new SocketException((int)SocketError.AddressNotAvailable, "no interface '" + interfaceName + "': " + error.Message);
        }
    }

    /// <summary>A Linux sockaddr_ll naming one interface and EtherType.</summary>
    private sealed class LinkLayerEndPoint : EndPoint
    {
        private readonly int _index;
        private readonly ushort _etherType;

        public LinkLayerEndPoint(int index, ushort etherType)
        {
            _index = index;
            _etherType = etherType;
        }

        public override AddressFamily AddressFamily => AddressFamily.Packet;

        public override SocketAddress Serialize()
        {
            // sll_family (2, set by SocketAddress), sll_protocol (2, big-endian), sll_ifindex (4,
            // host order), sll_hatype (2), sll_pkttype (1), sll_halen (1), sll_addr (8).
            SocketAddress address = new(AddressFamily.Packet, 20);
            address[2] = (byte)(_etherType >> 8);
            address[3] = (byte)_etherType;
            byte[] index = BitConverter.GetBytes(_index);
            for (int i = 0; i < 4; i++)
            {
                address[4 + i] = index[i];
            }

            return address;
        }

        public override EndPoint Create(SocketAddress socketAddress)
        {
            return new LinkLayerEndPoint(_index, _etherType);
        }
    }
}
