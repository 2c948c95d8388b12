using Protocol.Dhcp;

namespace Tests.Portable.Dhcp;

/// <summary>
/// A small pool (10.0.0.100 on, the server at 10.0.0.1, offers held 60 s) and the client's side
/// of an exchange with the sans-IO DHCP server, for the edge tests of its lease path.
/// </summary>
public static class DhcpServerExchange
{
    public const uint ServerAddress = 0x0A000001; // 10.0.0.1
    public const uint PoolStart = 0x0A000064; // 10.0.0.100

    public static DhcpServerConfig Config(int poolSize)
    {
        DhcpServerConfig config = new DhcpServerConfig();
        config.ServerAddress = ServerAddress;
        config.PoolStart = PoolStart;
        config.PoolEnd = PoolStart + (uint)poolSize - 1;
        config.SubnetMask = 0xFFFFFF00;
        config.LeaseSeconds = 3600;
        config.OfferHoldSeconds = 60;
        config.PhoneConfigString = "id:ipphone.mitel.com;sw_tftp=10.0.0.1";
        return config;
    }

    public static byte[] Mac(int n)
    {
        return new byte[] { 0x02, 0, 0, 0, 0x0E, (byte)n };
    }

    public static string Key(int n)
    {
        return DhcpServer.ClientKey(Mac(n));
    }

    public static DhcpMessage Request(int client, DhcpMessageType type)
    {
        DhcpMessage message = new DhcpMessage();
        message.Op = DhcpMessage.BootRequest;
        message.TransactionId = (uint)(0x0E00 + client);
        message.ClientHardwareAddress = Mac(client);
        message.MessageType = type;
        return message;
    }

    public static DhcpDatagram? Handle(DhcpServer server, DhcpMessage request, long now)
    {
        byte[] data = request.Encode();
        return server.Handle(data, 0, data.Length, now);
    }

    public static DhcpMessage Parse(DhcpDatagram datagram)
    {
        return DhcpMessage.Parse(datagram.Data, 0, datagram.Data.Length);
    }

    /// <summary>The address offered to the client, or 0 when it got no offer.</summary>
    public static uint Discover(DhcpServer server, int client, long now)
    {
        DhcpDatagram? reply = Handle(server, Request(client, DhcpMessageType.Discover), now);
        if (reply == null)
        {
            return 0;
        }

        DhcpMessage offer = Parse(reply);
        Assert.AreEqual(DhcpMessageType.Offer, offer.MessageType);
        return offer.YourAddress;
    }

    /// <summary>The reply to a SELECTING request for <paramref name="address"/> from this server (an ACK or a NAK).</summary>
    public static DhcpMessage Select(DhcpServer server, int client, uint address, long now)
    {
        DhcpMessage request = Request(client, DhcpMessageType.Request);
        request.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, ServerAddress);
        request.Options.SetUInt32(DhcpOptionCode.RequestedAddress, address);
        DhcpDatagram? reply = Handle(server, request, now);
        Assert.IsNotNull(reply, server.LastDropReason);
        return Parse(reply!);
    }

    /// <summary>A RELEASE of <paramref name="address"/> (it gets no reply).</summary>
    public static void Release(DhcpServer server, int client, uint address, long now)
    {
        DhcpMessage release = Request(client, DhcpMessageType.Release);
        release.ClientAddress = address;
        Assert.IsNull(Handle(server, release, now));
    }

    public static DhcpLeaseRecord Lease(int client, uint address, long expiresAt, DhcpLeaseState state)
    {
        DhcpLeaseRecord record = new DhcpLeaseRecord();
        record.ClientKey = Key(client);
        record.Address = address;
        record.ExpiresAt = expiresAt;
        record.State = state;
        return record;
    }

    /// <summary>An option's bytes as text, one character a byte (the server writes ASCII).</summary>
    public static string Text(byte[]? value)
    {
        if (value == null)
        {
            return string.Empty;
        }

        char[] characters = new char[value.Length];
        for (int i = 0; i < value.Length; i++)
        {
            characters[i] = (char)value[i];
        }

        return new string(characters);
    }
}
