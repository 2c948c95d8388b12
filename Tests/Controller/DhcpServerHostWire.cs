using System;
using System.Net;
using System.Net.Sockets;
using Protocol.Dhcp;

namespace Tests.Controller;

/// <summary>Requests and replies of the DHCP host tests, on a client socket of the test's own.</summary>
internal static class DhcpServerHostWire
{
    /// <summary>The Option 125 string every host of these tests hands out.</summary>
    public const string PhoneConfig = "id:ipphone.mitel.com;sw_tftp=127.0.0.1";

    public static byte[] Mac(int n)
    {
        return new byte[] { 0x02, 0, 0x17, (byte)(n >> 16), (byte)(n >> 8), (byte)n };
    }

    public static DhcpMessage Discover(int n)
    {
        DhcpMessage message = new() { Op = DhcpMessage.BootRequest, TransactionId = (uint)n, ClientHardwareAddress = Mac(n) };
        message.MessageType = DhcpMessageType.Discover;
        return message;
    }

    // RENEWING (RFC 2131 §4.3.2): ciaddr set, no server identifier; bound here, it is ACKed.
    public static DhcpMessage Renewal(int n, uint address)
    {
        DhcpMessage message = new() { Op = DhcpMessage.BootRequest, TransactionId = (uint)n, ClientHardwareAddress = Mac(n), ClientAddress = address };
        message.MessageType = DhcpMessageType.Request;
        return message;
    }

    public static DhcpLeaseRecord Bound(int n, uint address)
    {
        return new DhcpLeaseRecord { ClientKey = DhcpServer.ClientKey(Mac(n)), Address = address, ExpiresAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 3_600_000, State = DhcpLeaseState.Bound };
    }

    public static Socket Client()
    {
        Socket client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveTimeout = 5_000;
        return client;
    }

    public static DhcpMessage Receive(Socket client)
    {
        byte[] buffer = new byte[2048];
        int received = client.Receive(buffer);
        return DhcpMessage.Parse(buffer, 0, received);
    }

    // Nothing arrives within the wait: the reply (if any) is still held back.
    public static bool NothingArrives(Socket client, int milliseconds)
    {
        int before = client.ReceiveTimeout;
        client.ReceiveTimeout = milliseconds;
        try
        {
            byte[] buffer = new byte[2048];
            client.Receive(buffer);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return true;
        }
        finally
        {
            client.ReceiveTimeout = before;
        }
    }
}
