using Protocol.Common;
using Protocol.Dns;
namespace Tests.Portable.Support;

/// <summary>DNS responses built for tests (and the simulation's DNS server): the question echoed, A records after it.</summary>
public static class DnsAnswers
{
    public static byte[] Answer(ushort id, string name, int responseCode, uint[] addresses)
    {
        byte[] query = DnsQuery.Encode(id, name);
        byte[] message = new byte[query.Length + (addresses.Length * 16)];
        System.Array.Copy(query, message, query.Length);
        message[2] = 0x81; // QR, RD
        message[3] = (byte)(0x80 | responseCode); // RA, RCODE
        message[7] = (byte)addresses.Length; // ANCOUNT
        int position = query.Length;
        for (int i = 0; i < addresses.Length; i++)
        {
            byte[] record = new byte[] { 0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x04, 0, 0, 0, 0 };
            BigEndian.WriteUInt32(record, 12, addresses[i]);
            System.Array.Copy(record, 0, message, position, record.Length);
            position += record.Length;
        }

        return message;
    }

    /// <summary>The ID of an encoded query.</summary>
    public static ushort IdOf(byte[] query)
    {
        return (ushort)((query[0] << 8) | query[1]);
    }

    public static byte[] Copy(byte[] data)
    {
        return Bytes.Slice(data, 0, data.Length);
    }
}
