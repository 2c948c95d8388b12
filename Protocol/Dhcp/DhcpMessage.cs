using System;
using Protocol.Common;

namespace Protocol.Dhcp;

/// <summary>A BOOTP/DHCP message (RFC 2131 §2) with its options, parsed and encoded.</summary>
public sealed class DhcpMessage
{
    public const int BootRequest = 1;
    public const int BootReply = 2;
    public const int FixedLength = 236;
    public const int BroadcastFlag = 0x8000;
    public const uint MagicCookie = 0x63825363;

    /// <summary>Largest message accepted; bigger datagrams are not DHCP on any network we serve.</summary>
    public const int MaximumLength = 4096;

    private const int ServerNameOffset = 44;
    private const int ServerNameLength = 64;
    private const int FileOffset = 108;
    private const int FileLength = 128;

    public int Op { get; set; } = BootRequest;

    public uint TransactionId { get; set; }

    public int Seconds { get; set; }

    public int Flags { get; set; }

    public uint ClientAddress { get; set; }

    public uint YourAddress { get; set; }

    public uint NextServerAddress { get; set; }

    public uint RelayAddress { get; set; }

    public int HardwareType { get; set; } = 1;

    /// <summary>Client hardware address (chaddr), up to 16 bytes; a MAC for Ethernet.</summary>
    public byte[] ClientHardwareAddress { get; set; } = new byte[6];

    public DhcpOptionList Options { get; } = new DhcpOptionList();

    public DhcpMessageType MessageType
    {
        get
        {
            byte[]? type = Options.Get(DhcpOptionCode.MessageType);
            return type != null && type.Length == 1 && type[0] >= 1 && type[0] <= 8 ? (DhcpMessageType)type[0] : DhcpMessageType.None;
        }

        set
        {
            Options.SetByte(DhcpOptionCode.MessageType, (int)value);
        }
    }

    public static DhcpMessage Parse(byte[] buffer, int offset, int count)
    {
        if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            throw new ProtocolParseException("buffer range out of bounds");
        }

        if (count < FixedLength + 4)
        {
            throw new ProtocolParseException("DHCP message of " + count.ToString() + " bytes is shorter than the fixed header");
        }

        if (count > MaximumLength)
        {
            throw new ProtocolParseException("DHCP message longer than " + MaximumLength.ToString() + " bytes");
        }

        ByteReader reader = new ByteReader(buffer, offset, count);
        DhcpMessage message = new DhcpMessage();
        message.Op = reader.ReadByte();
        if (message.Op != BootRequest && message.Op != BootReply)
        {
            throw new ProtocolParseException("op " + message.Op.ToString() + " is neither request nor reply");
        }

        message.HardwareType = reader.ReadByte();
        int hardwareLength = reader.ReadByte();
        if (hardwareLength > 16)
        {
            throw new ProtocolParseException("hardware address length " + hardwareLength.ToString() + " exceeds 16");
        }

        reader.Skip(1); // hops
        message.TransactionId = reader.ReadUInt32();
        message.Seconds = reader.ReadUInt16();
        message.Flags = reader.ReadUInt16();
        message.ClientAddress = reader.ReadUInt32();
        message.YourAddress = reader.ReadUInt32();
        message.NextServerAddress = reader.ReadUInt32();
        message.RelayAddress = reader.ReadUInt32();
        message.ClientHardwareAddress = new byte[hardwareLength];
        Array.Copy(buffer, reader.Position, message.ClientHardwareAddress, 0, hardwareLength);
        reader.Skip(16 + ServerNameLength + FileLength);
        if (reader.ReadUInt32() != MagicCookie)
        {
            throw new ProtocolParseException("missing DHCP magic cookie");
        }

        message.Options.ParseArea(buffer, reader.Position, reader.Remaining);

        // RFC 2131 §4.1 / RFC 3396: with option 52 the file, then the sname field carry more options.
        byte[]? overload = message.Options.Get(DhcpOptionCode.Overload);
        if (overload != null && overload.Length == 1)
        {
            if ((overload[0] & 1) != 0)
            {
                message.Options.ParseArea(buffer, offset + FileOffset, FileLength);
            }

            if ((overload[0] & 2) != 0)
            {
                message.Options.ParseArea(buffer, offset + ServerNameOffset, ServerNameLength);
            }
        }

        return message;
    }

    /// <summary>
    /// Option 53 read straight from the options area after the cookie, without parsing the
    /// message, so a host can order its queue (REQUESTs before DISCOVERs) cheaply. None when the
    /// datagram is short, has no cookie, or carries the type elsewhere (an overloaded field):
    /// a scheduling hint only; <see cref="Parse"/> decides what the message is.
    /// </summary>
    public static DhcpMessageType PeekMessageType(byte[] buffer, int count)
    {
        int position = FixedLength + 4;
        int end = count < buffer.Length ? count : buffer.Length;
        if (end < position || buffer[FixedLength] != 0x63 || buffer[FixedLength + 1] != 0x82 || buffer[FixedLength + 2] != 0x53 || buffer[FixedLength + 3] != 0x63)
        {
            return DhcpMessageType.None;
        }

        while (position < end)
        {
            int code = buffer[position];
            if (code == 0)
            {
                position++;
                continue;
            }

            if (code == 255 || position + 1 >= end)
            {
                return DhcpMessageType.None;
            }

            int length = buffer[position + 1];
            if (code == (int)DhcpOptionCode.MessageType)
            {
                int value = length == 1 && position + 2 < end ? buffer[position + 2] : 0;
                return value >= 1 && value <= 8 ? (DhcpMessageType)value : DhcpMessageType.None;
            }

            position += 2 + length;
        }

        return DhcpMessageType.None;
    }

    public byte[] Encode()
    {
        ByteWriter writer = new ByteWriter(FixedLength + 300);
        writer.WriteByte(Op);
        writer.WriteByte(HardwareType);
        writer.WriteByte(ClientHardwareAddress.Length);
        writer.WriteByte(0);
        writer.WriteUInt32(TransactionId);
        writer.WriteUInt16(Seconds > 0xFFFF ? 0xFFFF : Seconds);
        writer.WriteUInt16(Flags);
        writer.WriteUInt32(ClientAddress);
        writer.WriteUInt32(YourAddress);
        writer.WriteUInt32(NextServerAddress);
        writer.WriteUInt32(RelayAddress);
        writer.WriteBytes(ClientHardwareAddress, 0, ClientHardwareAddress.Length);
        writer.WriteZeros(16 - ClientHardwareAddress.Length + ServerNameLength + FileLength);
        writer.WriteUInt32(MagicCookie);
        Options.WriteTo(writer);

        // Pad to the BOOTP minimum of 300 bytes; some relays and old servers drop shorter ones.
        if (writer.Length < 300)
        {
            writer.WriteZeros(300 - writer.Length);
        }

        return writer.ToArray();
    }

    /// <summary>True when chaddr equals <paramref name="mac"/>.</summary>
    public bool IsFor(byte[] mac)
    {
        if (ClientHardwareAddress.Length != mac.Length)
        {
            return false;
        }

        for (int i = 0; i < mac.Length; i++)
        {
            if (ClientHardwareAddress[i] != mac[i])
            {
                return false;
            }
        }

        return true;
    }
}
