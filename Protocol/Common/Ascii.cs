using System;

namespace Protocol.Common;

/// <summary>
/// ASCII conversions without System.Text (absent from nanoFramework's mscorlib).
/// Bytes outside 0x20..0x7E are refused when decoding untrusted input.
/// </summary>
public static class Ascii
{
    public static byte[] GetBytes(string text)
    {
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c > 0x7F)
            {
                throw new ArgumentException("not ASCII: " + text);
            }

            bytes[i] = (byte)c;
        }

        return bytes;
    }

    /// <summary>Decodes printable ASCII; throws <see cref="ProtocolParseException"/> on any other byte.</summary>
    public static string GetPrintableString(byte[] buffer, int offset, int count)
    {
        if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            throw new ProtocolParseException("string range out of bounds");
        }

        char[] chars = new char[count];
        for (int i = 0; i < count; i++)
        {
            byte b = buffer[offset + i];
            if (b < 0x20 || b > 0x7E)
            {
                throw new ProtocolParseException("non-printable byte 0x" + b.ToString("X2") + " in text");
            }

            chars[i] = (char)b;
        }

        return new string(chars);
    }

    /// <summary>Decodes bytes as ASCII, replacing anything non-printable with '?' (for display and logs).</summary>
    public static string GetLenientString(byte[] buffer, int offset, int count)
    {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++)
        {
            byte b = buffer[offset + i];
            chars[i] = b >= 0x20 && b <= 0x7E ? (char)b : '?';
        }

        return new string(chars);
    }

    public static bool IsDigit(char c)
    {
        return c >= '0' && c <= '9';
    }

    /// <summary>Parses a non-negative decimal integer of at most 9 digits; -1 when it is not one.</summary>
    public static int ParseDecimal(string text, int start, int length)
    {
        if (length <= 0 || length > 9 || start < 0 || start + length > text.Length)
        {
            return -1;
        }

        int value = 0;
        for (int i = start; i < start + length; i++)
        {
            char c = text[i];
            if (!IsDigit(c))
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }

    public static string ToHex(byte[] data, int offset, int count)
    {
        const string digits = "0123456789abcdef";
        char[] chars = new char[count * 2];
        for (int i = 0; i < count; i++)
        {
            byte b = data[offset + i];
            chars[2 * i] = digits[b >> 4];
            chars[(2 * i) + 1] = digits[b & 0x0F];
        }

        return new string(chars);
    }
}
