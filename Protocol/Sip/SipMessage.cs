using System.Collections;
using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// A SIP request or response (RFC 3261 §7): start line, headers in order (several per name
/// allowed), body. Header lookups ignore case; <see cref="Encode"/> writes Content-Length itself
/// from the body, so a message is never framed wrongly on a stream.
/// </summary>
public sealed class SipMessage
{
    public const string Version = "SIP/2.0";

    private readonly ArrayList _headers = new ArrayList();

    private SipMessage(bool isRequest, string method, string requestUri, int statusCode, string reasonPhrase)
    {
        IsRequest = isRequest;
        Method = method;
        RequestUri = requestUri;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Body = new byte[0];
    }

    public bool IsRequest { get; }

    /// <summary>The request's method; empty on a response.</summary>
    public string Method { get; }

    /// <summary>The request's Request-URI as written; empty on a response.</summary>
    public string RequestUri { get; }

    /// <summary>The response's status code; 0 on a request.</summary>
    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    public byte[] Body { get; set; }

    public int HeaderCount => _headers.Count;

    public static SipMessage Request(string method, string requestUri)
    {
        if (!SipText.IsToken(method) || requestUri.Length == 0 || requestUri.IndexOf(' ') >= 0)
        {
            throw new System.ArgumentException("bad request line: " + method + " " + requestUri);
        }

        return new SipMessage(true, method, requestUri, 0, string.Empty);
    }

    public static SipMessage Response(int statusCode, string reasonPhrase)
    {
        if (statusCode < 100 || statusCode > 699)
        {
            throw new System.ArgumentException("status code out of range");
        }

        return new SipMessage(false, string.Empty, string.Empty, statusCode, reasonPhrase);
    }

    public SipHeader HeaderAt(int index)
    {
        return (SipHeader)_headers[index]!;
    }

    public SipMessage Add(string name, string value)
    {
        _headers.Add(new SipHeader(SipHeaderNames.Normalize(name), value));
        return this;
    }

    /// <summary>The first header of that name (any case, compact or long form), or null.</summary>
    public string? Get(string name)
    {
        string normalized = SipHeaderNames.Normalize(name);
        for (int i = 0; i < _headers.Count; i++)
        {
            SipHeader header = (SipHeader)_headers[i]!;
            if (SipText.EqualsIgnoreCase(header.Name, normalized))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>How many headers of that name the message has.</summary>
    public int Count(string name)
    {
        string normalized = SipHeaderNames.Normalize(name);
        int count = 0;
        for (int i = 0; i < _headers.Count; i++)
        {
            if (SipText.EqualsIgnoreCase(((SipHeader)_headers[i]!).Name, normalized))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Every value of a list header (Via, Contact, Allow...): all headers of that name, each split
    /// at commas outside quotes and angle brackets, in order.
    /// </summary>
    public string[] GetList(string name)
    {
        string normalized = SipHeaderNames.Normalize(name);
        ArrayList values = new ArrayList();
        for (int i = 0; i < _headers.Count; i++)
        {
            SipHeader header = (SipHeader)_headers[i]!;
            if (!SipText.EqualsIgnoreCase(header.Name, normalized))
            {
                continue;
            }

            string value = header.Value;
            int start = 0;
            while (start <= value.Length)
            {
                int comma = SipText.IndexOutsideQuotes(value, ',', start);
                int end = comma < 0 ? value.Length : comma;
                string part = SipText.Trim(value.Substring(start, end - start));
                if (part.Length > 0)
                {
                    values.Add(part);
                }

                if (comma < 0)
                {
                    break;
                }

                start = comma + 1;
            }
        }

        string[] result = new string[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (string)values[i]!;
        }

        return result;
    }

    /// <summary>The CSeq number, or a parse error when the header is missing or malformed.</summary>
    public int CSeqNumber()
    {
        string cseq = Required(SipHeaderNames.CSeq);
        int space = cseq.IndexOf(' ');
        return SipText.ParseNumber(space < 0 ? cseq : cseq.Substring(0, space), "CSeq");
    }

    /// <summary>The CSeq method, or a parse error when the header is missing or malformed.</summary>
    public string CSeqMethod()
    {
        string cseq = Required(SipHeaderNames.CSeq);
        int space = cseq.IndexOf(' ');
        if (space < 0)
        {
            throw new ProtocolParseException("CSeq without a method");
        }

        return SipText.Trim(cseq.Substring(space + 1));
    }

    public string Required(string name)
    {
        string? value = Get(name);
        if (value == null)
        {
            throw new ProtocolParseException("no " + name + " header");
        }

        return value;
    }

    public byte[] Encode()
    {
        // Sized exactly and written as octets: no text builder, no string of the whole message (a refresh is encoded often).
        string contentLength = Body.Length.ToString();
        string status = IsRequest ? string.Empty : StatusCode.ToString();
        int length = (IsRequest ? Method.Length + 1 + RequestUri.Length + 1 + Version.Length : Version.Length + 1 + status.Length + 1 + ReasonPhrase.Length) + 2;
        for (int i = 0; i < _headers.Count; i++)
        {
            SipHeader header = (SipHeader)_headers[i]!;
            if (header.Name != SipHeaderNames.ContentLength)
            {
                length += header.Name.Length + 2 + header.Value.Length + 2;
            }
        }

        length += SipHeaderNames.ContentLength.Length + 2 + contentLength.Length + 4 + Body.Length;
        byte[] encoded = new byte[length];
        int at = Put(encoded, 0, IsRequest ? Method : Version);
        at = Put(encoded, at, " ");
        at = Put(encoded, at, IsRequest ? RequestUri : status);
        at = Put(encoded, at, " ");
        at = Put(encoded, at, IsRequest ? Version : ReasonPhrase);
        at = Put(encoded, at, "\r\n");
        for (int i = 0; i < _headers.Count; i++)
        {
            SipHeader header = (SipHeader)_headers[i]!;
            if (header.Name != SipHeaderNames.ContentLength)
            {
                at = Put(encoded, Put(encoded, Put(encoded, Put(encoded, at, header.Name), ": "), header.Value), "\r\n");
            }
        }

        at = Put(encoded, Put(encoded, Put(encoded, Put(encoded, at, SipHeaderNames.ContentLength), ": "), contentLength), "\r\n\r\n");
        System.Array.Copy(Body, 0, encoded, at, Body.Length);
        return encoded;
    }

    // Writes text's characters as octets at `at`; returns the position after them.
    private static int Put(byte[] into, int at, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c > 0xFF)
            {
                throw new System.ArgumentException("SIP text is octets: " + text);
            }

            into[at + i] = (byte)c;
        }

        return at + text.Length;
    }
}
