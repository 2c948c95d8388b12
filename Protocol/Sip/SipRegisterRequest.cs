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

    public static SipMessage Build(SipRegistrationConfig config, string requestUri, string callId, string fromTag, int cseq, string branch, int expires)
    {
        string aor = "<" + AddressOfRecord(config) + ">";
        if (config.DisplayName.Length > 0)
        {
            aor = SipText.Quote(config.DisplayName) + " " + aor;
        }

        SipMessage request = SipMessage.Request("REGISTER", requestUri);
        request.Add(SipHeaderNames.Via, SipMessage.Version + "/" + config.TransportToken + " " + config.LocalHost + ":" + config.LocalPort.ToString() + ";branch=" + branch + ";rport")
            .Add(SipHeaderNames.MaxForwards, "70")
            .Add(SipHeaderNames.From, aor + ";tag=" + fromTag)
            .Add(SipHeaderNames.To, aor)
            .Add(SipHeaderNames.CallId, callId)
            .Add(SipHeaderNames.CSeq, cseq.ToString() + " REGISTER")
            .Add(SipHeaderNames.Contact, "<" + ContactUri(config) + ">;expires=" + expires.ToString())
            .Add(SipHeaderNames.Expires, expires.ToString())
            .Add(SipHeaderNames.Allow, Allow)
            .Add(SipHeaderNames.UserAgent, config.UserAgent);
        return request;
    }
}
