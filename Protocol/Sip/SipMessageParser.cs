using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// Parses one SIP message (RFC 3261 §7) from a datagram or from a frame the stream framer cut.
/// Tolerant where the RFC asks for it — header names in any case, compact forms, folded lines,
/// bare LF line ends, CRLFs before the start line — and bounded everywhere: a message, a line,
/// the number of headers. Anything else malformed is a <see cref="ProtocolParseException"/>.
/// </summary>
public static class SipMessageParser
{
    public const int MaxMessageLength = 16384;
    public const int MaxLineLength = 2048;
    public const int MaxHeaders = 64;

    public static SipMessage Parse(byte[] data, int offset, int count)
    {
        return Parse(data, offset, count, false);
    }

    /// <summary>The start line and headers only (the body's length not checked): how the stream framer reads Content-Length.</summary>
    public static SipMessage ParseHeaders(byte[] data, int offset, int count)
    {
        return Parse(data, offset, count, true);
    }

    private static SipMessage Parse(byte[] data, int offset, int count, bool headersOnly)
    {
        if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
        {
            throw new ProtocolParseException("message range out of bounds");
        }

        if (count > MaxMessageLength)
        {
            throw new ProtocolParseException("message longer than " + MaxMessageLength.ToString() + " bytes");
        }

        int end = offset + count;
        int pos = offset;
        while (pos < end && (data[pos] == '\r' || data[pos] == '\n'))
        {
            pos++;
        }

        int lineEnd = LineEnd(data, pos, end);
        SipMessage message = StartLine(Line(data, pos, lineEnd));
        pos = lineEnd + 1;

        string name = string.Empty;
        string value = string.Empty;
        int headers = 0;
        while (true)
        {
            if (pos >= end)
            {
                throw new ProtocolParseException("no empty line after the headers");
            }

            lineEnd = LineEnd(data, pos, end);
            int lineStart = pos;
            int last = LineContent(data, pos, lineEnd);
            pos = lineEnd + 1;
            if (last == lineStart)
            {
                break;
            }

            if (SipText.IsWhitespace((char)data[lineStart]))
            {
                // Folding (§7.3.1): the line continues the previous header's value.
                if (name.Length == 0)
                {
                    throw new ProtocolParseException("continuation line before any header");
                }

                value = value + " " + Trimmed(data, lineStart, last);
                if (value.Length > MaxLineLength)
                {
                    throw new ProtocolParseException("folded header longer than " + MaxLineLength.ToString());
                }

                continue;
            }

            if (name.Length > 0)
            {
                message.Add(name, value);
            }

            if (++headers > MaxHeaders)
            {
                throw new ProtocolParseException("more than " + MaxHeaders.ToString() + " headers");
            }

            int colon = lineStart;
            while (colon < last && data[colon] != ':')
            {
                colon++;
            }

            if (colon == last || colon == lineStart)
            {
                throw new ProtocolParseException("header line without a name and a colon");
            }

            // Name and value are taken from the octets: no string of the whole line, none of a known name.
            int nameEnd = colon;
            while (nameEnd > lineStart && SipText.IsWhitespace((char)data[nameEnd - 1]))
            {
                nameEnd--;
            }

            int nameStart = lineStart;
            while (nameStart < nameEnd && SipText.IsWhitespace((char)data[nameStart]))
            {
                nameStart++;
            }

            if (!SipText.IsToken(data, nameStart, nameEnd))
            {
                throw new ProtocolParseException("header name is not a token");
            }

            name = SipHeaderNames.Normalize(data, nameStart, nameEnd);
            value = Trimmed(data, colon + 1, last);
        }

        if (name.Length > 0)
        {
            message.Add(name, value);
        }

        if (headersOnly)
        {
            return message;
        }

        int available = end - pos;
        int bodyLength = available;
        if (message.Count(SipHeaderNames.ContentLength) > 1)
        {
            throw new ProtocolParseException("several Content-Length headers");
        }

        string? contentLength = message.Get(SipHeaderNames.ContentLength);
        if (contentLength != null)
        {
            bodyLength = SipText.ParseNumber(contentLength, "Content-Length");
            if (bodyLength > available)
            {
                throw new ProtocolParseException("Content-Length " + bodyLength.ToString() + " past the end of the message");
            }
        }

        // Octets past Content-Length in a datagram are discarded (§18.3).
        byte[] body = new byte[bodyLength];
        System.Array.Copy(data, pos, body, 0, bodyLength);
        message.Body = body;
        return message;
    }

    /// <summary>
    /// Where the headers of the message starting at <paramref name="offset"/> end (the index just
    /// past the empty line), or -1 when the empty line has not arrived yet.
    /// </summary>
    public static int HeaderEnd(byte[] data, int offset, int count)
    {
        int end = offset + count;
        for (int i = offset; i < end; i++)
        {
            if (data[i] != '\n')
            {
                continue;
            }

            if (i + 1 < end && data[i + 1] == '\n')
            {
                return i + 2;
            }

            if (i + 2 < end && data[i + 1] == '\r' && data[i + 2] == '\n')
            {
                return i + 3;
            }
        }

        return -1;
    }

    private static SipMessage StartLine(string line)
    {
        int first = line.IndexOf(' ');
        if (first <= 0)
        {
            throw new ProtocolParseException("start line without a space");
        }

        if (line.Substring(0, first) == SipMessage.Version)
        {
            if (line.Length < first + 4 || (line.Length > first + 4 && line[first + 4] != ' '))
            {
                throw new ProtocolParseException("status line without a three-digit code");
            }

            int code = Ascii.ParseDecimal(line, first + 1, 3);
            if (code < 100 || code > 699)
            {
                throw new ProtocolParseException("status code out of range");
            }

            string reason = line.Length > first + 5 ? line.Substring(first + 5) : string.Empty;
            return SipMessage.Response(code, reason);
        }

        int second = line.IndexOf(' ', first + 1);
        if (second < 0 || line.Substring(second + 1) != SipMessage.Version)
        {
            throw new ProtocolParseException("request line does not end in SIP/2.0");
        }

        string method = line.Substring(0, first);
        string uri = line.Substring(first + 1, second - first - 1);
        if (!SipText.IsToken(method) || uri.Length == 0 || uri.IndexOf(' ') >= 0 || uri.IndexOf('\t') >= 0)
        {
            throw new ProtocolParseException("malformed request line");
        }

        return SipMessage.Request(method, uri);
    }

    private static int LineEnd(byte[] data, int pos, int end)
    {
        for (int i = pos; i < end; i++)
        {
            if (data[i] == '\n')
            {
                return i;
            }

            if (i - pos >= MaxLineLength)
            {
                throw new ProtocolParseException("line longer than " + MaxLineLength.ToString());
            }
        }

        throw new ProtocolParseException("line without an end");
    }

    /// <summary>The line's text without its CR; control characters other than HT are refused.</summary>
    private static string Line(byte[] data, int pos, int lineEnd)
    {
        return SipText.FromOctets(data, pos, LineContent(data, pos, lineEnd));
    }

    /// <summary>Where the line's content ends (before its CR); control characters other than HT are refused.</summary>
    private static int LineContent(byte[] data, int pos, int lineEnd)
    {
        int last = lineEnd;
        if (last > pos && data[last - 1] == '\r')
        {
            last--;
        }

        for (int i = pos; i < last; i++)
        {
            byte b = data[i];
            if ((b < 0x20 && b != '\t') || b == 0x7F)
            {
                throw new ProtocolParseException("control byte 0x" + b.ToString("X2") + " in a header");
            }
        }

        return last;
    }

    // The octets of data[start..end) without leading and trailing SP and HT, as text.
    private static string Trimmed(byte[] data, int start, int end)
    {
        while (start < end && SipText.IsWhitespace((char)data[start]))
        {
            start++;
        }

        while (end > start && SipText.IsWhitespace((char)data[end - 1]))
        {
            end--;
        }

        return SipText.FromOctets(data, start, end);
    }
}
