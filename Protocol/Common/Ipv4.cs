namespace Protocol.Common;

/// <summary>
/// IPv4 addresses as <see cref="uint"/> in host order (10.0.0.1 = 0x0A000001), the form the
/// codecs use; no System.Net on the portable side.
/// </summary>
public static class Ipv4
{
    public const uint Any = 0;
    public const uint Broadcast = 0xFFFFFFFF;

    public static string Format(uint address)
    {
        return ((address >> 24) & 0xFF).ToString() + "." + ((address >> 16) & 0xFF).ToString() + "."
            + ((address >> 8) & 0xFF).ToString() + "." + (address & 0xFF).ToString();
    }

    /// <summary>Parses dotted-quad text; returns false on anything else (no exceptions for bad input).</summary>
    public static bool TryParse(string text, out uint address)
    {
        address = 0;
        if (text == null || text.Length < 7 || text.Length > 15)
        {
            return false;
        }

        int part = 0;
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                int value = Ascii.ParseDecimal(text, start, i - start);
                if (value < 0 || value > 255 || i - start > 3 || part > 3)
                {
                    return false;
                }

                address = (address << 8) | (uint)value;
                part++;
                start = i + 1;
            }
        }

        return part == 4;
    }

    public static uint Read(byte[] buffer, int offset)
    {
        return BigEndian.ReadUInt32(buffer, offset);
    }

    public static void Write(byte[] buffer, int offset, uint address)
    {
        BigEndian.WriteUInt32(buffer, offset, address);
    }
}
