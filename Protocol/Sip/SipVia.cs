using Protocol.Common;

namespace Protocol.Sip;

/// <summary>One Via value (RFC 3261 §20.42): "SIP/2.0/UDP host:port;branch=z9hG4bK...;rport".</summary>
public sealed class SipVia
{
    /// <summary>The magic cookie every RFC 3261 branch starts with (§8.1.1.7).</summary>
    public const string BranchCookie = "z9hG4bK";

    public SipVia(string transport, string host, int port)
    {
        Transport = transport;
        Host = host;
        Port = port;
        Parameters = new SipParameters();
    }

    /// <summary>UDP, TCP, TLS... upper case.</summary>
    public string Transport { get; }

    public string Host { get; }

    public int Port { get; }

    public SipParameters Parameters { get; private set; }

    public string? Branch => Parameters.Get("branch");

    public static SipVia Parse(string text)
    {
        text = SipText.Trim(text);
        int slash1 = text.IndexOf('/');
        int slash2 = slash1 < 0 ? -1 : text.IndexOf('/', slash1 + 1);
        if (slash2 < 0 || !SipText.EqualsIgnoreCase(SipText.Trim(text, 0, slash2), SipMessage.Version))
        {
            throw new ProtocolParseException("Via without SIP/2.0/transport");
        }

        int space = slash2 + 1;
        while (space < text.Length && !SipText.IsWhitespace(text[space]))
        {
            space++;
        }

        string transport = SipText.ToUpper(text.Substring(slash2 + 1, space - slash2 - 1));
        if (!SipText.IsToken(transport))
        {
            throw new ProtocolParseException("Via transport is not a token");
        }

        // Indexes into the text, not substrings of it: a response's Via is parsed for its branch every time.
        int semicolon = text.IndexOf(';', space);
        string hostPort = SipText.Trim(text, space, semicolon < 0 ? text.Length : semicolon);
        string host;
        int port;
        SipUri.SplitHostPort(hostPort, out host, out port);
        SipVia via = new SipVia(transport, host, port);
        if (semicolon >= 0)
        {
            via.Parameters = SipParameters.Parse(text, semicolon + 1);
        }

        return via;
    }

    public override string ToString()
    {
        TextBuilder text = new TextBuilder(96);
        text.Append(SipMessage.Version).Append('/').Append(Transport).Append(' ').Append(Host);
        if (Port >= 0)
        {
            text.Append(':').AppendDecimal(Port);
        }

        Parameters.AppendTo(text);
        return text.ToString();
    }
}
