using Protocol.Common;

namespace Protocol.Tftp;

/// <summary>
/// One parsed TFTP packet. DATA keeps a reference into the received buffer
/// (<see cref="DataOffset"/>/<see cref="DataLength"/>) so a block is never copied.
/// </summary>
public sealed class TftpPacket
{
    /// <summary>Longest file name, mode, option name or value accepted in a request.</summary>
    public const int MaximumStringLength = 255;

    /// <summary>Most options accepted in one request or OACK.</summary>
    public const int MaximumOptions = 16;

    // Shared by every packet without options or data: a parsed ACK or DATA allocates nothing else.
    private static readonly string[] NoStrings = new string[0];
    private static readonly byte[] NoBytes = new byte[0];

    private TftpPacket(TftpOpcode opcode)
    {
        Opcode = opcode;
    }

    public TftpOpcode Opcode { get; }

    public string FileName { get; private set; } = string.Empty;

    /// <summary>Transfer mode, lower-cased: octet, netascii or mail.</summary>
    public string Mode { get; private set; } = string.Empty;

    /// <summary>Option names (lower-cased) of a request or OACK, parallel to <see cref="OptionValues"/>.</summary>
    public string[] OptionNames { get; private set; } = NoStrings;

    public string[] OptionValues { get; private set; } = NoStrings;

    /// <summary>Block number of DATA or ACK (0–65535).</summary>
    public int Block { get; private set; }

    public byte[] Buffer { get; private set; } = NoBytes;

    public int DataOffset { get; private set; }

    public int DataLength { get; private set; }

    public TftpErrorCode ErrorCode { get; private set; }

    public string ErrorMessage { get; private set; } = string.Empty;

    /// <summary>The value of an option (name compared case-insensitively), or null.</summary>
    public string? Option(string name)
    {
        for (int i = 0; i < OptionNames.Length; i++)
        {
            if (OptionNames[i] == name)
            {
                return OptionValues[i];
            }
        }

        return null;
    }

    public static TftpPacket Parse(byte[] buffer, int offset, int count)
    {
        ByteReader reader = new ByteReader(buffer, offset, count);
        if (count < 2)
        {
            throw new ProtocolParseException("TFTP packet of " + count.ToString() + " bytes is too short");
        }

        // Every packet has at least 4 bytes but an OACK that acknowledges no option (2 bytes:
        // atftpd sends one when all its options are turned off).
        int opcode = reader.ReadUInt16();
        if (count < 4 && opcode != (int)TftpOpcode.OptionAck)
        {
            throw new ProtocolParseException("TFTP packet of " + count.ToString() + " bytes is too short");
        }

        TftpPacket packet;
        switch (opcode)
        {
            case (int)TftpOpcode.ReadRequest:
            case (int)TftpOpcode.WriteRequest:
                packet = new TftpPacket((TftpOpcode)opcode);
                packet.FileName = ReadString(reader, "file name");
                if (packet.FileName.Length == 0)
                {
                    throw new ProtocolParseException("empty file name");
                }

                packet.Mode = ToLower(ReadString(reader, "mode"));
                if (packet.Mode != "octet" && packet.Mode != "netascii" && packet.Mode != "mail")
                {
                    throw new ProtocolParseException("unknown transfer mode '" + packet.Mode + "'");
                }

                ReadOptions(reader, packet);
                return packet;
            case (int)TftpOpcode.OptionAck:
                packet = new TftpPacket(TftpOpcode.OptionAck);
                ReadOptions(reader, packet);
                return packet;
            case (int)TftpOpcode.Data:
                packet = new TftpPacket(TftpOpcode.Data);
                packet.Block = reader.ReadUInt16();
                if (reader.Remaining > TftpOptionNames.MaximumBlockSize)
                {
                    throw new ProtocolParseException("DATA longer than the largest block size");
                }

                packet.Buffer = buffer;
                packet.DataOffset = reader.Position;
                packet.DataLength = reader.Remaining;
                return packet;
            case (int)TftpOpcode.Ack:
                packet = new TftpPacket(TftpOpcode.Ack);
                packet.Block = reader.ReadUInt16();
                return packet;
            case (int)TftpOpcode.Error:
                packet = new TftpPacket(TftpOpcode.Error);
                packet.ErrorCode = (TftpErrorCode)reader.ReadUInt16();

                // Some servers omit the final NUL; take the text up to NUL or the end, bounded.
                int length = 0;
                while (length < reader.Remaining && buffer[reader.Position + length] != 0)
                {
                    length++;
                }

                packet.ErrorMessage = Ascii.GetLenientString(buffer, reader.Position, length > MaximumStringLength ? MaximumStringLength : length);
                return packet;
            default:
                throw new ProtocolParseException("unknown TFTP opcode " + opcode.ToString());
        }
    }

    private static void ReadOptions(ByteReader reader, TftpPacket packet)
    {
        string[] names = new string[MaximumOptions];
        string[] values = new string[MaximumOptions];
        int count = 0;
        while (reader.Remaining > 0)
        {
            if (count == MaximumOptions)
            {
                throw new ProtocolParseException("more than " + MaximumOptions.ToString() + " options");
            }

            names[count] = ToLower(ReadString(reader, "option name"));
            values[count] = ReadString(reader, "option value");
            count++;
        }

        packet.OptionNames = new string[count];
        packet.OptionValues = new string[count];
        System.Array.Copy(names, packet.OptionNames, count);
        System.Array.Copy(values, packet.OptionValues, count);
    }

    // A NUL-terminated printable string, bounded.
    private static string ReadString(ByteReader reader, string what)
    {
        byte[] buffer = reader.Buffer;
        int start = reader.Position;
        int length = 0;
        while (true)
        {
            if (length >= reader.Remaining)
            {
                throw new ProtocolParseException(what + " is not NUL-terminated");
            }

            if (buffer[start + length] == 0)
            {
                break;
            }

            length++;
            if (length > MaximumStringLength)
            {
                throw new ProtocolParseException(what + " longer than " + MaximumStringLength.ToString() + " bytes");
            }
        }

        string text = Ascii.GetPrintableString(buffer, start, length);
        reader.Skip(length + 1);
        return text;
    }

    private static string ToLower(string text)
    {
        char[] chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] >= 'A' && chars[i] <= 'Z')
            {
                chars[i] = (char)(chars[i] + 32);
            }
        }

        return new string(chars);
    }
}
