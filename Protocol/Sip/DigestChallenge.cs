using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// A Digest challenge from WWW-Authenticate or Proxy-Authenticate (RFC 2617 §3.2.1, RFC 7616
/// §3.3): realm, nonce, opaque, qop options, stale, algorithm. Only MD5 and MD5-sess can be
/// answered; <see cref="IsSupported"/> says so rather than failing the parse.
/// </summary>
public sealed class DigestChallenge
{
    public const int MaxParameters = 16;

    private DigestChallenge()
    {
        Realm = string.Empty;
        Nonce = string.Empty;
        Algorithm = "MD5";
        Qop = string.Empty;
    }

    public string Realm { get; private set; }

    public string Nonce { get; private set; }

    /// <summary>Opaque, to be returned unchanged; null when the challenge has none.</summary>
    public string? Opaque { get; private set; }

    public string Algorithm { get; private set; }

    /// <summary>The qop options as offered ("auth", "auth,auth-int"); empty for an RFC 2069 challenge.</summary>
    public string Qop { get; private set; }

    /// <summary>stale=true: the nonce expired but the credentials were right (§3.2.1).</summary>
    public bool Stale { get; private set; }

    public bool OffersQopAuth
    {
        get
        {
            string[] options = SplitList(Qop);
            for (int i = 0; i < options.Length; i++)
            {
                if (SipText.EqualsIgnoreCase(options[i], "auth"))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public bool IsSupported => SipText.EqualsIgnoreCase(Algorithm, "MD5") || SipText.EqualsIgnoreCase(Algorithm, "MD5-sess");

    public static DigestChallenge Parse(string header)
    {
        header = SipText.Trim(header);
        if (header.Length < 7 || !SipText.EqualsIgnoreCase(header.Substring(0, 6), "Digest") || !SipText.IsWhitespace(header[6]))
        {
            throw new ProtocolParseException("challenge is not Digest");
        }

        DigestChallenge challenge = new DigestChallenge();
        string rest = header.Substring(7);
        int start = 0;
        int count = 0;
        bool sawNonce = false;
        bool sawRealm = false;
        while (start < rest.Length)
        {
            int comma = SipText.IndexOutsideQuotes(rest, ',', start);
            int end = comma < 0 ? rest.Length : comma;
            string part = SipText.Trim(rest.Substring(start, end - start));
            start = end + 1;
            if (part.Length == 0)
            {
                continue;
            }

            if (++count > MaxParameters)
            {
                throw new ProtocolParseException("more than " + MaxParameters.ToString() + " challenge parameters");
            }

            int equals = part.IndexOf('=');
            if (equals <= 0)
            {
                throw new ProtocolParseException("challenge parameter without '='");
            }

            string name = SipText.Trim(part.Substring(0, equals));
            string value = SipText.Unquote(SipText.Trim(part.Substring(equals + 1)));
            if (SipText.EqualsIgnoreCase(name, "realm"))
            {
                challenge.Realm = value;
                sawRealm = true;
            }
            else if (SipText.EqualsIgnoreCase(name, "nonce"))
            {
                challenge.Nonce = value;
                sawNonce = true;
            }
            else if (SipText.EqualsIgnoreCase(name, "opaque"))
            {
                challenge.Opaque = value;
            }
            else if (SipText.EqualsIgnoreCase(name, "algorithm"))
            {
                challenge.Algorithm = value;
            }
            else if (SipText.EqualsIgnoreCase(name, "qop"))
            {
                challenge.Qop = value;
            }
            else if (SipText.EqualsIgnoreCase(name, "stale"))
            {
                challenge.Stale = SipText.EqualsIgnoreCase(value, "true");
            }
        }

        if (!sawRealm || !sawNonce)
        {
            throw new ProtocolParseException("Digest challenge without realm and nonce");
        }

        return challenge;
    }

    private static string[] SplitList(string text)
    {
        int count = 1;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == ',')
            {
                count++;
            }
        }

        string[] parts = new string[count];
        int start = 0;
        for (int p = 0; p < count; p++)
        {
            int comma = text.IndexOf(',', start);
            int end = comma < 0 ? text.Length : comma;
            parts[p] = SipText.Trim(text.Substring(start, end - start));
            start = end + 1;
        }

        return parts;
    }
}
