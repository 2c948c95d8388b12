using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// Text helpers for SIP without System.Text: SIP text is taken byte for byte (octets above 0x7F,
/// as in UTF-8 display names, pass through unchanged), and names compare case-insensitively.
/// </summary>
public static class SipText
{
    public static byte[] ToBytes(string text)
    {
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c > 0xFF)
            {
                throw new System.ArgumentException("SIP text is octets: " + text);
            }

            bytes[i] = (byte)c;
        }

        return bytes;
    }

    /// <summary>data[start..end) as text, octet for character.</summary>
    public static string FromOctets(byte[] data, int start, int end)
    {
        if (end <= start)
        {
            return string.Empty;
        }

        char[] chars = new char[end - start];
        for (int i = start; i < end; i++)
        {
            chars[i - start] = (char)data[i];
        }

        return new string(chars);
    }

    /// <summary>Whether the octets data[start..end) spell <paramref name="text"/>, letters in any case.</summary>
    public static bool EqualsIgnoreCase(byte[] data, int start, int end, string text)
    {
        if (end - start != text.Length)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (Lower((char)data[start + i]) != Lower(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="text"/> holds <paramref name="word"/> at <paramref name="at"/>, letters in any case.</summary>
    public static bool StartsWithIgnoreCase(string text, int at, string word)
    {
        if (at < 0 || text.Length - at < word.Length)
        {
            return false;
        }

        for (int i = 0; i < word.Length; i++)
        {
            if (Lower(text[at + i]) != Lower(word[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool EqualsIgnoreCase(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (Lower(a[i]) != Lower(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static char Lower(char c)
    {
        return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }

    public static string ToLower(string text)
    {
        char[] chars = new char[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            chars[i] = Lower(text[i]);
        }

        return new string(chars);
    }

    public static string ToUpper(string text)
    {
        char[] chars = new char[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            chars[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
        }

        return new string(chars);
    }

    public static bool IsWhitespace(char c)
    {
        return c == ' ' || c == '\t';
    }

    /// <summary>token (RFC 3261 §25.1).</summary>
    public static bool IsTokenChar(char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || Ascii.IsDigit(c)
            || c == '-' || c == '.' || c == '!' || c == '%' || c == '*' || c == '_' || c == '+' || c == '`' || c == '\'' || c == '~';
    }

    public static bool IsToken(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (!IsTokenChar(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsToken(byte[] data, int start, int end)
    {
        if (end <= start)
        {
            return false;
        }

        for (int i = start; i < end; i++)
        {
            if (!IsTokenChar((char)data[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>text[start..end) without leading and trailing SP and HT; the text itself when that is all of it.</summary>
    public static string Trim(string text, int start, int end)
    {
        while (start < end && IsWhitespace(text[start]))
        {
            start++;
        }

        while (end > start && IsWhitespace(text[end - 1]))
        {
            end--;
        }

        return start == 0 && end == text.Length ? text : text.Substring(start, end - start);
    }

    public static string Trim(string text)
    {
        return Trim(text, 0, text.Length);
    }

    /// <summary>A non-negative decimal of at most 9 digits, or a parse error naming what it was.</summary>
    public static int ParseNumber(string text, string what)
    {
        int value = Ascii.ParseDecimal(text, 0, text.Length);
        if (value < 0)
        {
            throw new ProtocolParseException(what + " is not a number");
        }

        return value;
    }

    /// <summary>The index of <paramref name="c"/> at or after <paramref name="from"/> outside quotes and angle brackets; -1 if none.</summary>
    public static int IndexOutsideQuotes(string text, char c, int from)
    {
        bool quoted = false;
        bool angled = false;
        for (int i = from; i < text.Length; i++)
        {
            char x = text[i];
            if (quoted)
            {
                if (x == '\\')
                {
                    i++;
                }
                else if (x == '"')
                {
                    quoted = false;
                }
            }
            else if (x == '"')
            {
                quoted = true;
            }
            else if (angled)
            {
                angled = x != '>';
            }
            else if (x == c)
            {
                return i;
            }
            else if (x == '<')
            {
                angled = true;
            }
        }

        return -1;
    }

    /// <summary>Removes the quotes of a quoted-string and its backslash escapes; other text is returned as is.</summary>
    public static string Unquote(string text)
    {
        if (text.Length < 2 || text[0] != '"')
        {
            return text;
        }

        if (text[text.Length - 1] != '"')
        {
            throw new ProtocolParseException("unterminated quoted string");
        }

        TextBuilder builder = new TextBuilder(text.Length);
        for (int i = 1; i < text.Length - 1; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length - 1)
            {
                c = text[++i];
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    public static string Quote(string text)
    {
        return AppendQuoted(new TextBuilder(text.Length + 2), text).ToString();
    }

    /// <summary>Appends text as a quoted-string (RFC 3261 §25.1: '"' and '\\' escaped) to <paramref name="builder"/>.</summary>
    public static TextBuilder AppendQuoted(TextBuilder builder, string text)
    {
        builder.Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"' || c == '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"');
    }
}
