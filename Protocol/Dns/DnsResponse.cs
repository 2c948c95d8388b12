using Protocol.Common;

namespace Protocol.Dns;

/// <summary>
/// The parts of a DNS response (RFC 1035 §4.1) a resolver of A records needs: ID, flags, the
/// question asked and the IPv4 addresses in the answer section. Compressed names are followed
/// with every pointer bounded; anything malformed is a <see cref="ProtocolParseException"/>.
/// </summary>
public sealed class DnsResponse
{
    public const int HeaderLength = 12;
    public const int MaxMessageLength = 65535;

    /// <summary>Questions and records a response may carry before it is taken as malformed.</summary>
    public const int MaxRecords = 256;

    private const int MaxNameBytes = 255;
    private const int MaxPointerJumps = 32;

    private DnsResponse()
    {
    }

    public ushort Id { get; private set; }

    /// <summary>QR set: a response, not a query.</summary>
    public bool IsResponse { get; private set; }

    /// <summary>TC set: the answer did not fit the datagram.</summary>
    public bool IsTruncated { get; private set; }

    /// <summary>RCODE: 0 no error, 2 server failure, 3 no such name, …</summary>
    public int ResponseCode { get; private set; }

    /// <summary>The first question's name, lower case, without the trailing dot; empty when there is none.</summary>
    public string QuestionName { get; private set; } = string.Empty;

    /// <summary>Every A record of class IN in the answer section, in order.</summary>
    public uint[] Addresses { get; private set; } = new uint[0];

    public static DnsResponse Parse(byte[] data, int offset, int count)
    {
        if (count > MaxMessageLength)
        {
            throw new ProtocolParseException("DNS message longer than " + MaxMessageLength.ToString() + " bytes");
        }

        ByteReader reader = new ByteReader(data, offset, count);
        DnsResponse response = new DnsResponse();
        response.Id = reader.ReadUInt16();
        int flags = reader.ReadUInt16();
        response.IsResponse = (flags & 0x8000) != 0;
        response.IsTruncated = (flags & 0x0200) != 0;
        response.ResponseCode = flags & 0x000F;
        int questions = reader.ReadUInt16();
        int answers = reader.ReadUInt16();
        reader.ReadUInt16(); // authority records: not read
        reader.ReadUInt16(); // additional records: not read
        if (questions + answers > MaxRecords)
        {
            throw new ProtocolParseException("DNS message with " + (questions + answers).ToString() + " questions and answers");
        }

        for (int i = 0; i < questions; i++)
        {
            string name = ReadName(data, offset, count, reader);
            reader.Skip(4); // QTYPE, QCLASS
            if (i == 0)
            {
                response.QuestionName = name;
            }
        }

        uint[] found = new uint[answers];
        int addresses = 0;
        for (int i = 0; i < answers; i++)
        {
            ReadName(data, offset, count, reader);
            int type = reader.ReadUInt16();
            int recordClass = reader.ReadUInt16();
            reader.ReadUInt32(); // TTL: the phone looks the name up again at every connection
            int length = reader.ReadUInt16();
            if (type == DnsQuery.TypeA && recordClass == DnsQuery.ClassInternet)
            {
                if (length != 4)
                {
                    throw new ProtocolParseException("A record of " + length.ToString() + " bytes");
                }

                found[addresses++] = reader.ReadUInt32();
            }
            else
            {
                reader.Skip(length);
            }
        }

        response.Addresses = new uint[addresses];
        System.Array.Copy(found, response.Addresses, addresses);
        return response;
    }

    // Reads a possibly compressed name at the reader's position and moves past it. Pointers may
    // only point backwards inside the message and are followed at most MaxPointerJumps times.
    private static string ReadName(byte[] data, int offset, int count, ByteReader reader)
    {
        char[] text = new char[MaxNameBytes];
        int length = 0;
        int wire = 0;
        int position = reader.Position;
        int jumps = 0;
        bool jumped = false;
        int end = offset + count;
        while (true)
        {
            if (position >= end)
            {
                throw new ProtocolParseException("DNS name runs past the message");
            }

            int label = data[position];
            if ((label & 0xC0) == 0xC0)
            {
                if (position + 1 >= end)
                {
                    throw new ProtocolParseException("DNS name pointer cut short");
                }

                int target = offset + (((label & 0x3F) << 8) | data[position + 1]);
                if (target >= position || ++jumps > MaxPointerJumps)
                {
                    throw new ProtocolParseException("DNS name pointer loops or points forward");
                }

                if (!jumped)
                {
                    reader.Skip(position + 2 - reader.Position);
                    jumped = true;
                }

                position = target;
                continue;
            }

            if ((label & 0xC0) != 0)
            {
                throw new ProtocolParseException("DNS label type 0x" + (label & 0xC0).ToString("X2") + " is not supported");
            }

            position++;
            wire += label + 1;
            if (wire > MaxNameBytes)
            {
                throw new ProtocolParseException("DNS name longer than " + MaxNameBytes.ToString() + " bytes");
            }

            if (label == 0)
            {
                break;
            }

            if (position + label > end)
            {
                throw new ProtocolParseException("DNS label runs past the message");
            }

            if (length > 0)
            {
                text[length++] = '.';
            }

            for (int i = 0; i < label; i++)
            {
                byte b = data[position + i];
                char c = b >= 'A' && b <= 'Z' ? (char)(b + 32) : (b >= 0x21 && b <= 0x7E ? (char)b : '?');
                text[length++] = c;
            }

            position += label;
        }

        if (!jumped)
        {
            reader.Skip(position - reader.Position);
        }

        return new string(text, 0, length);
    }
}
