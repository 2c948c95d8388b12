using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// A sip: or sips: URI (RFC 3261 §19.1): user, host (name, IPv4 or [IPv6]), optional port,
/// parameters. The "?headers" part is kept as written and not interpreted.
/// </summary>
public sealed class SipUri
{
    public SipUri(string scheme, string user, string host, int port)
    {
        Scheme = scheme;
        User = user;
        Host = host;
        Port = port;
        Parameters = new SipParameters();
        Headers = string.Empty;
    }

    /// <summary>"sip" or "sips", lower case.</summary>
    public string Scheme { get; }

    /// <summary>The userinfo before '@' (a password part included, as written); empty when none.</summary>
    public string User { get; }

    public string Host { get; }

    /// <summary>The port, or -1 when the URI names none.</summary>
    public int Port { get; }

    public SipParameters Parameters { get; private set; }

    public string Headers { get; private set; }

    /// <summary>The port to send to: the URI's, else 5060 (5061 for sips).</summary>
    public int PortOrDefault => Port >= 0 ? Port : (Scheme == "sips" ? 5061 : 5060);

    public static SipUri Parse(string text)
    {
        if (text.Length > SipMessageParser.MaxLineLength)
        {
            throw new ProtocolParseException("URI too long");
        }

        int colon = text.IndexOf(':');
        // Compared in place, not lowered into a new string: a URI is parsed at every refresh.
        string scheme = colon == 3 && SipText.StartsWithIgnoreCase(text, 0, "sip") ? "sip" : colon == 4 && SipText.StartsWithIgnoreCase(text, 0, "sips") ? "sips" : string.Empty;
        if (scheme.Length == 0)
        {
            throw new ProtocolParseException("not a sip: or sips: URI");
        }

        string rest = text.Substring(colon + 1);
        string headers = string.Empty;
        int question = rest.IndexOf('?');
        if (question >= 0)
        {
            headers = rest.Substring(question + 1);
            rest = rest.Substring(0, question);
        }

        string parameters = string.Empty;
        int at = rest.LastIndexOf('@');
        int semicolon = rest.IndexOf(';', at < 0 ? 0 : at);
        if (semicolon >= 0)
        {
            parameters = rest.Substring(semicolon + 1);
            rest = rest.Substring(0, semicolon);
        }

        string user = at < 0 ? string.Empty : rest.Substring(0, at);
        string hostPort = at < 0 ? rest : rest.Substring(at + 1);
        if (at >= 0 && user.Length == 0)
        {
            throw new ProtocolParseException("URI with an empty user before '@'");
        }

        string host;
        int port;
        SplitHostPort(hostPort, out host, out port);
        SipUri uri = new SipUri(scheme, user, host, port);
        uri.Headers = headers;
        if (parameters.Length > 0)
        {
            uri.Parameters = SipParameters.Parse(parameters);
        }

        return uri;
    }

    /// <summary>Splits "host", "host:port" or "[v6]:port"; the host must be non-empty and the port 1..65535.</summary>
    public static void SplitHostPort(string text, out string host, out int port)
    {
        port = -1;
        int portColon;
        if (text.Length > 0 && text[0] == '[')
        {
            int close = text.IndexOf(']');
            if (close < 0)
            {
                throw new ProtocolParseException("IPv6 reference without ']'");
            }

            host = text.Substring(0, close + 1);
            portColon = close + 1 < text.Length ? close + 1 : -1;
            if (portColon >= 0 && text[portColon] != ':')
            {
                throw new ProtocolParseException("text after an IPv6 reference");
            }
        }
        else
        {
            portColon = text.IndexOf(':');
            host = portColon < 0 ? text : text.Substring(0, portColon);
        }

        if (host.Length == 0)
        {
            throw new ProtocolParseException("empty host");
        }

        for (int i = 0; i < host.Length; i++)
        {
            char c = host[i];
            if (!(SipText.IsTokenChar(c) || c == '[' || c == ']' || c == ':'))
            {
                throw new ProtocolParseException("bad character in host");
            }
        }

        if (portColon >= 0)
        {
            string digits = text.Substring(portColon + 1);
            port = Ascii.ParseDecimal(digits, 0, digits.Length);
            if (port < 1 || port > 65535)
            {
                throw new ProtocolParseException("port out of range");
            }
        }
    }

    public override string ToString()
    {
        TextBuilder text = new TextBuilder(64);
        text.Append(Scheme).Append(':');
        if (User.Length > 0)
        {
            text.Append(User).Append('@');
        }

        text.Append(Host);
        if (Port >= 0)
        {
            text.Append(':').AppendDecimal(Port);
        }

        Parameters.AppendTo(text);
        if (Headers.Length > 0)
        {
            text.Append('?').Append(Headers);
        }

        return text.ToString();
    }
}
