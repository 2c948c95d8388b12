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
        string rest;
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
            rest = SipText.Trim(text.Substring(close + 1));
        }
        else
        {
            int semicolon = text.IndexOf(';');
            uriText = semicolon < 0 ? text : text.Substring(0, semicolon);
            rest = semicolon < 0 ? string.Empty : text.Substring(semicolon);
        }

        SipNameAddr nameAddr = new SipNameAddr(displayName, SipUri.Parse(SipText.Trim(uriText)));
        if (rest.Length > 0)
        {
            if (rest[0] != ';')
            {
                throw new ProtocolParseException("text after the address that is not a parameter");
            }

            nameAddr.Parameters = SipParameters.Parse(rest.Substring(1));
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
