using Protocol.Common;

namespace Protocol.Tftp;

/// <summary>Encodes TFTP packets.</summary>
public static class TftpPacketWriter
{
    public static byte[] Request(TftpOpcode opcode, string fileName, string mode, string[] optionNames, string[] optionValues)
    {
        ByteWriter writer = new ByteWriter(fileName.Length + 64);
        writer.WriteUInt16((int)opcode);
        WriteString(writer, fileName);
        WriteString(writer, mode);
        WriteOptions(writer, optionNames, optionValues);
        return writer.ToArray();
    }

    public static byte[] OptionAck(string[] optionNames, string[] optionValues)
    {
        ByteWriter writer = new ByteWriter(64);
        writer.WriteUInt16((int)TftpOpcode.OptionAck);
        WriteOptions(writer, optionNames, optionValues);
        return writer.ToArray();
    }

    public static byte[] Ack(int block)
    {
        byte[] packet = new byte[4];
        BigEndian.WriteUInt16(packet, 0, (int)TftpOpcode.Ack);
        BigEndian.WriteUInt16(packet, 2, block & 0xFFFF);
        return packet;
    }

    /// <summary>Writes the DATA header into <paramref name="packet"/>; the caller fills bytes 4 onwards.</summary>
    public static void DataHeader(byte[] packet, int block)
    {
        BigEndian.WriteUInt16(packet, 0, (int)TftpOpcode.Data);
        BigEndian.WriteUInt16(packet, 2, block & 0xFFFF);
    }

    public static byte[] Data(int block, byte[] data, int offset, int count)
    {
        byte[] packet = new byte[4 + count];
        DataHeader(packet, block);
        System.Array.Copy(data, offset, packet, 4, count);
        return packet;
    }

    public static byte[] Error(TftpErrorCode code, string message)
    {
        ByteWriter writer = new ByteWriter(message.Length + 5);
        writer.WriteUInt16((int)TftpOpcode.Error);
        writer.WriteUInt16((int)code);
        WriteString(writer, message);
        return writer.ToArray();
    }

    private static void WriteOptions(ByteWriter writer, string[] names, string[] values)
    {
        for (int i = 0; i < names.Length; i++)
        {
            WriteString(writer, names[i]);
            WriteString(writer, values[i]);
        }
    }

    private static void WriteString(ByteWriter writer, string text)
    {
        writer.WriteBytes(Ascii.GetBytes(text));
        writer.WriteByte(0);
    }
}
