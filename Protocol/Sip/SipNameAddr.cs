using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// The value of From, To and Contact (RFC 3261 §20.10): an optional display name, a URI in
/// angle brackets or bare, then header parameters (tag, expires, q). In the bare form every
/// ';' parameter belongs to the header, not to the URI (§20).
/// </summary>
public sealed class SipNameAddr
{
    public SipNameAddr(string displayName, SipUri uri)
    {
        DisplayName = displayName;
        Uri = uri;
        Parameters = new SipParameters();
    }

    public string DisplayName { get; }

    public SipUri Uri { get; }

    public SipParameters Parameters { get; private set; }

    public string? Tag => Parameters.Get("tag");

    public static SipNameAddr Parse(string text)
    {
        text = SipText.Trim(text);
        string displayName = string.Empty;
        string uriText;

        // Where the parameters after the address begin (past their ';'), or -1 when there are none.
        int parameters = -1;
        int open = SipText.IndexOutsideQuotes(text, '<', 0);
        if (open < 0)
        {
            // Only the opening bracket is outside quotes; a quoted display name needs brackets.
            open = text.Length > 0 && text[0] == '"' ? -2 : -1;
        }

        if (open == -2)
        {
            throw new ProtocolParseException("display name without an <addr-spec>");
        }

        if (open >= 0)
        {
            displayName = SipText.Unquote(SipText.Trim(text.Substring(0, open)));
            int close = text.IndexOf('>', open);
            if (close < 0)
            {
                throw new ProtocolParseException("'<' without '>'");
            }

            uriText = text.Substring(open + 1, close - open - 1);
            int after = close + 1;
            while (after < text.Length && SipText.IsWhitespace(text[after]))
            {
                after++;
            }

            if (after < text.Length)
            {
                if (text[after] != ';')
                {
                    throw new ProtocolParseException("text after the address that is not a parameter");
                }

                parameters = after + 1;
            }
        }
        else
        {
            int semicolon = text.IndexOf(';');
            uriText = semicolon < 0 ? text : text.Substring(0, semicolon);
            parameters = semicolon < 0 ? -1 : semicolon + 1;
        }

        SipNameAddr nameAddr = new SipNameAddr(displayName, SipUri.Parse(SipText.Trim(uriText)));
        if (parameters >= 0)
        {
            // Read in place: a 2xx's Contact is parsed for its expires at every refresh.
            nameAddr.Parameters = SipParameters.Parse(text, parameters);
        }

        return nameAddr;
    }

    public override string ToString()
    {
        TextBuilder text = new TextBuilder(96);
        if (DisplayName.Length > 0)
        {
            text.Append(SipText.Quote(DisplayName)).Append(' ');
        }

        text.Append('<').Append(Uri.ToString()).Append('>');
        Parameters.AppendTo(text);
        return text.ToString();
    }
}
