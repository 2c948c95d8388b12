using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// Builds the REGISTER requests of RFC 3261 §10.2: the AoR in To and From, the line's Contact
/// with the asked expiry (0 removes the binding), one Via with a fresh branch and rport.
/// </summary>
public static class SipRegisterRequest
{
    public const string Allow = "OPTIONS, NOTIFY";

    public static string AddressOfRecord(SipRegistrationConfig config)
    {
        return "sip:" + config.User + "@" + config.Domain;
    }

    public static string ContactUri(SipRegistrationConfig config)
    {
        TextBuilder text = new TextBuilder(64);
        text.Append("sip:").Append(config.User).Append('@').Append(config.LocalHost).Append(':').AppendDecimal(config.LocalPort);
        if (config.Transport == SipTransport.Tcp)
        {
            text.Append(";transport=tcp");
        }
        else if (config.Transport == SipTransport.Tls)
        {
            text.Append(";transport=tls");
        }

        return text.ToString();
    }

    /// <summary>The AoR as To carries it (From adds its tag): the display name quoted, then the URI in brackets.</summary>
    public static string NameAddr(SipRegistrationConfig config)
    {
        string aor = "<" + AddressOfRecord(config) + ">";
        return config.DisplayName.Length > 0 ? SipText.Quote(config.DisplayName) + " " + aor : aor;
    }

    /// <summary>The Contact value that asks for <paramref name="expires"/> seconds.</summary>
    public static string Contact(SipRegistrationConfig config, int expires)
    {
        return "<" + ContactUri(config) + ">;expires=" + expires.ToString();
    }

    public static SipMessage Build(SipRegistrationConfig config, string requestUri, string callId, string fromTag, int cseq, string branch, int expires)
    {
        string to = NameAddr(config);
        return Build(config, requestUri, callId, to + ";tag=" + fromTag, to, Contact(config, expires), cseq, branch, expires);
    }

    /// <summary>
    /// The same from the parts that stay the same from one request of a line to the next (From with
    /// its tag, To, the Contact for this expiry), which the line makes once, not at every refresh.
    /// </summary>
    public static SipMessage Build(SipRegistrationConfig config, string requestUri, string callId, string from, string to, string contact, int cseq, string branch, int expires)
    {
        SipMessage request = SipMessage.Request("REGISTER", requestUri);
        request.Add(SipHeaderNames.Via, SipMessage.Version + "/" + config.TransportToken + " " + config.LocalHost + ":" + config.LocalPort.ToString() + ";branch=" + branch + ";rport")
            .Add(SipHeaderNames.MaxForwards, "70")
            .Add(SipHeaderNames.From, from)
            .Add(SipHeaderNames.To, to)
            .Add(SipHeaderNames.CallId, callId)
            .Add(SipHeaderNames.CSeq, cseq.ToString() + " REGISTER")
            .Add(SipHeaderNames.Contact, contact)
            .Add(SipHeaderNames.Expires, expires.ToString())
            .Add(SipHeaderNames.Allow, Allow)
            .Add(SipHeaderNames.UserAgent, config.UserAgent);
        return request;
    }
}
