namespace Protocol.Sip;

/// <summary>
/// MD5 (RFC 1321), written out because nanoFramework's mscorlib has no hash classes. Digest
/// authentication (RFC 2617/7616) is its only user here; MD5 is not used for anything that
/// needs collision resistance.
/// </summary>
public static class Md5
{
    private static readonly int[] Shifts = new int[]
    {
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    };

    // floor(abs(sin(i + 1)) * 2^32), RFC 1321 §3.4.
    private static readonly uint[] Sines = new uint[]
    {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    };

    public static byte[] Hash(byte[] data, int offset, int count)
    {
        uint a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;

        // The message, a 0x80 byte, zeros to 56 mod 64, then the bit length little-endian.
        int paddedLength = ((count + 8) / 64 + 1) * 64;
        byte[] tail = new byte[paddedLength - (count / 64 * 64)];
        int whole = count / 64 * 64;
        for (int i = whole; i < count; i++)
        {
            tail[i - whole] = data[offset + i];
        }

        tail[count - whole] = 0x80;
        long bits = (long)count * 8;
        for (int i = 0; i < 8; i++)
        {
            tail[tail.Length - 8 + i] = (byte)(bits >> (8 * i));
        }

        uint[] m = new uint[16];
        for (int block = 0; block < paddedLength; block += 64)
        {
            for (int i = 0; i < 16; i++)
            {
                int at = block + (4 * i);
                m[i] = (uint)(Byte(data, offset, whole, tail, at) | (Byte(data, offset, whole, tail, at + 1) << 8)
                    | (Byte(data, offset, whole, tail, at + 2) << 16) | (Byte(data, offset, whole, tail, at + 3) << 24));
            }

            uint a = a0, b = b0, c = c0, d = d0;
            for (int i = 0; i < 64; i++)
            {
                uint f;
                int g;
                if (i < 16)
                {
                    f = (b & c) | (~b & d);
                    g = i;
                }
                else if (i < 32)
                {
                    f = (d & b) | (~d & c);
                    g = ((5 * i) + 1) % 16;
                }
                else if (i < 48)
                {
                    f = b ^ c ^ d;
                    g = ((3 * i) + 5) % 16;
                }
                else
                {
                    f = c ^ (b | ~d);
                    g = (7 * i) % 16;
                }

                uint rotated = a + f + Sines[i] + m[g];
                a = d;
                d = c;
                c = b;
                b += (rotated << Shifts[i]) | (rotated >> (32 - Shifts[i]));
            }

            a0 += a;
            b0 += b;
            c0 += c;
            d0 += d;
        }

        byte[] digest = new byte[16];
        Store(digest, 0, a0);
        Store(digest, 4, b0);
        Store(digest, 8, c0);
        Store(digest, 12, d0);
        return digest;
    }

    /// <summary>The lowercase hex MD5 of a string's characters taken as bytes (digest's H()).</summary>
    public static string HexOf(string text)
    {
        byte[] bytes = SipText.ToBytes(text);
        byte[] digest = Hash(bytes, 0, bytes.Length);
        return Common.Ascii.ToHex(digest, 0, digest.Length);
    }

    private static int Byte(byte[] data, int offset, int whole, byte[] tail, int at)
    {
        return at < whole ? data[offset + at] : tail[at - whole];
    }

    private static void Store(byte[] digest, int at, uint value)
    {
        digest[at] = (byte)value;
        digest[at + 1] = (byte)(value >> 8);
        digest[at + 2] = (byte)(value >> 16);
        digest[at + 3] = (byte)(value >> 24);
    }
}
