using Protocol.Common;

namespace Protocol.Sip;

/// <summary>Call-IDs, tags, branches and client nonces from the injected random source (RFC 3261 §8.1.1.4, §19.3).</summary>
public static class SipIdentifiers
{
    /// <summary>8 hex digits per word of randomness.</summary>
    public static string Hex(IRandomSource random, int words)
    {
        byte[] bytes = new byte[4 * words];
        for (int w = 0; w < words; w++)
        {
            uint value = random.NextUInt32();
            bytes[4 * w] = (byte)(value >> 24);
            bytes[(4 * w) + 1] = (byte)(value >> 16);
            bytes[(4 * w) + 2] = (byte)(value >> 8);
            bytes[(4 * w) + 3] = (byte)value;
        }

        return Ascii.ToHex(bytes, 0, bytes.Length);
    }

    public static string Branch(IRandomSource random)
    {
        return SipVia.BranchCookie + Hex(random, 3);
    }
}
