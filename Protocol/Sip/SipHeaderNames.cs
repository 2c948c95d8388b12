namespace Protocol.Sip;

/// <summary>
/// Header names as this codec stores them: compact forms (RFC 3261 §7.3.3 and the extensions'
/// one-letter names) expanded, known names in their canonical spelling, others kept as received.
/// </summary>
public static class SipHeaderNames
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string Contact = "Contact";
    public const string MaxForwards = "Max-Forwards";
    public const string Expires = "Expires";
    public const string MinExpires = "Min-Expires";
    public const string RetryAfter = "Retry-After";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string UserAgent = "User-Agent";
    public const string Allow = "Allow";
    public const string Supported = "Supported";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string Authorization = "Authorization";
    public const string ProxyAuthorization = "Proxy-Authorization";

    private static readonly string[] Compact = new string[]
    {
        "i", CallId, "m", Contact, "e", "Content-Encoding", "l", ContentLength, "c", ContentType,
        "f", From, "s", "Subject", "k", Supported, "t", To, "v", Via, "o", "Event", "r", "Refer-To",
        "u", "Allow-Events", "x", "Session-Expires", "a", "Accept-Contact", "j", "Reject-Contact",
        "d", "Request-Disposition", "b", "Referred-By", "y", "Identity", "n", "Identity-Info",
    };

    private static readonly string[] Known = new string[]
    {
        Via, From, To, CallId, CSeq, Contact, MaxForwards, Expires, MinExpires, RetryAfter, ContentLength,
        ContentType, UserAgent, Allow, Supported, WwwAuthenticate, ProxyAuthenticate, Authorization,
        ProxyAuthorization, "Server", "Date", "Route", "Record-Route", "Accept", "Event", "Path",
    };

    /// <summary>The stored form of a received header name.</summary>
    public static string Normalize(string name)
    {
        if (name.Length == 1)
        {
            char lower = SipText.Lower(name[0]);
            for (int i = 0; i < Compact.Length; i += 2)
            {
                if (Compact[i][0] == lower)
                {
                    return Compact[i + 1];
                }
            }

            return name;
        }

        for (int i = 0; i < Known.Length; i++)
        {
            if (SipText.EqualsIgnoreCase(Known[i], name))
            {
                return Known[i];
            }
        }

        return name;
    }

    /// <summary>The stored form of the header name received as data[start..end): a name it knows costs no string.</summary>
    public static string Normalize(byte[] data, int start, int end)
    {
        if (end - start == 1)
        {
            char lower = SipText.Lower((char)data[start]);
            for (int i = 0; i < Compact.Length; i += 2)
            {
                if (Compact[i][0] == lower)
                {
                    return Compact[i + 1];
                }
            }
        }
        else
        {
            for (int i = 0; i < Known.Length; i++)
            {
                if (SipText.EqualsIgnoreCase(data, start, end, Known[i]))
                {
                    return Known[i];
                }
            }
        }

        return SipText.FromOctets(data, start, end);
    }
}
