using System.Collections;
using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// ";name=value" parameters of a URI, a name-addr or a Via (RFC 3261 §19.1.1, §20). Names compare
/// case-insensitively; a parameter without "=" has the empty value. At most <see cref="MaxCount"/>.
/// </summary>
public sealed class SipParameters
{
    public const int MaxCount = 16;

    private readonly ArrayList _names = new ArrayList();
    private readonly ArrayList _values = new ArrayList();

    public int Count => _names.Count;

    /// <summary>Parses "a=b;c;d=\"e f\"" (without the leading ';').</summary>
    public static SipParameters Parse(string text)
    {
        return Parse(text, 0);
    }

    /// <summary>Parses the parameters that start at <paramref name="from"/> (after the leading ';'): only names and values become strings.</summary>
    public static SipParameters Parse(string text, int from)
    {
        SipParameters parameters = new SipParameters();
        int start = from;
        while (start < text.Length)
        {
            int semicolon = SipText.IndexOutsideQuotes(text, ';', start);
            int end = semicolon < 0 ? text.Length : semicolon;
            int equals = text.IndexOf('=', start, end - start);
            string name = SipText.Trim(text, start, equals < 0 ? end : equals);
            if (name.Length == 0 && equals < 0)
            {
                throw new ProtocolParseException("empty parameter");
            }

            string value = equals < 0 ? string.Empty : SipText.Trim(text, equals + 1, end);
            if (!SipText.IsToken(name))
            {
                throw new ProtocolParseException("parameter name is not a token");
            }

            if (parameters.Count == MaxCount)
            {
                throw new ProtocolParseException("more than " + MaxCount.ToString() + " parameters");
            }

            parameters.Set(name, value);
            if (semicolon < 0)
            {
                break;
            }

            start = semicolon + 1;
        }

        return parameters;
    }

    public string NameAt(int index)
    {
        return (string)_names[index]!;
    }

    public string ValueAt(int index)
    {
        return (string)_values[index]!;
    }

    /// <summary>The value (empty for a flag), or null when absent.</summary>
    public string? Get(string name)
    {
        int index = IndexOf(name);
        return index < 0 ? null : (string)_values[index]!;
    }

    public bool Has(string name)
    {
        return IndexOf(name) >= 0;
    }

    public void Set(string name, string value)
    {
        int index = IndexOf(name);
        if (index >= 0)
        {
            _values[index] = value;
            return;
        }

        _names.Add(name);
        _values.Add(value);
    }

    public void AppendTo(TextBuilder text)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            text.Append(';').Append((string)_names[i]!);
            string value = (string)_values[i]!;
            if (value.Length > 0)
            {
                text.Append('=').Append(value);
            }
        }
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            if (SipText.EqualsIgnoreCase((string)_names[i]!, name))
            {
                return i;
            }
        }

        return -1;
    }
}
