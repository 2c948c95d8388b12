using System;
using Protocol.Common;

namespace Protocol.Dns;

/// <summary>
/// A standard DNS query for the IPv4 address of one name (RFC 1035 §4.1): header with recursion
/// desired, one question of type A, class IN. What the phone sends to its option 6 servers.
/// </summary>
public static class DnsQuery
{
    public const int TypeA = 1;
    public const int ClassInternet = 1;
    public const int MaxNameLength = 253;
    public const int MaxLabelLength = 63;

    /// <summary>The query bytes; throws <see cref="ArgumentException"/> when <paramref name="name"/> is not a host name.</summary>
    public static byte[] Encode(ushort id, string name)
    {
        if (!IsHostName(name))
        {
            throw new ArgumentException("not a host name: " + name);
        }

        string bare = name[name.Length - 1] == '.' ? name.Substring(0, name.Length - 1) : name;
        byte[] query = new byte[12 + bare.Length + 2 + 4];
        BigEndian.WriteUInt16(query, 0, id);
        query[2] = 0x01; // RD: the server resolves for us
        query[5] = 1; // QDCOUNT
        int position = 12;
        int labelStart = 0;
        for (int i = 0; i <= bare.Length; i++)
        {
            if (i == bare.Length || bare[i] == '.')
            {
                query[position++] = (byte)(i - labelStart);
                for (int j = labelStart; j < i; j++)
                {
                    query[position++] = (byte)bare[j];
                }

                labelStart = i + 1;
            }
        }

        query[position++] = 0;
        BigEndian.WriteUInt16(query, position, TypeA);
        BigEndian.WriteUInt16(query, position + 2, ClassInternet);
        return query;
    }

    /// <summary>Letters, digits, '-' and '_' in dot-separated labels of 1–63, at most 253 characters (a trailing dot allowed).</summary>
    public static bool IsHostName(string name)
    {
        if (name == null || name.Length == 0 || name.Length > MaxNameLength + 1)
        {
            return false;
        }

        int end = name[name.Length - 1] == '.' ? name.Length - 1 : name.Length;
        if (end == 0 || end > MaxNameLength)
        {
            return false;
        }

        int label = 0;
        for (int i = 0; i < end; i++)
        {
            char c = name[i];
            if (c == '.')
            {
                if (label == 0)
                {
                    return false;
                }

                label = 0;
                continue;
            }

            bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!allowed || ++label > MaxLabelLength)
            {
                return false;
            }
        }

        return label > 0;
    }
}
