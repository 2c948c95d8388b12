using PhoneFirmware.Core.Events;
using Protocol.Common;

namespace PhoneFirmware.Core.TestPort;

/// <summary>
/// A phone event as one line of ASCII JSON, character for character what the host's
/// <c>phone --events json</c> prints (System.Text.Json's writer with its default escaping), written
/// by hand because the device has no System.Text.Json: <c>{"event":"name","field":value,...}</c>.
/// </summary>
public static class EventJson
{
    public static string Format(PhoneEvent phoneEvent)
    {
        TextBuilder json = new TextBuilder(64);
        json.Append("{\"event\":");
        AppendString(json, phoneEvent.Name);
        for (int i = 0; i < phoneEvent.FieldCount; i++)
        {
            json.Append(',');
            AppendString(json, phoneEvent.FieldName(i));
            json.Append(':');
            AppendValue(json, phoneEvent.FieldValue(i));
        }

        return json.Append('}').ToString();
    }

    private static void AppendValue(TextBuilder json, object value)
    {
        if (value is string)
        {
            AppendString(json, (string)value);
        }
        else if (value is int)
        {
            json.AppendDecimal((int)value);
        }
        else if (value is long)
        {
            json.AppendDecimal((long)value);
        }
        else if (value is bool)
        {
            json.Append((bool)value ? "true" : "false");
        }
        else if (value is string[])
        {
            string[] list = (string[])value;
            json.Append('[');
            for (int i = 0; i < list.Length; i++)
            {
                if (i > 0)
                {
                    json.Append(',');
                }

                AppendString(json, list[i]);
            }

            json.Append(']');
        }
        else
        {
            // Any other type is written as its text, as the host's writer does.
            AppendString(json, value.ToString() ?? string.Empty);
        }
    }

    // The default escaping of System.Text.Json: printable ASCII passes except the HTML-sensitive
    // " & ' + < > ` (as \u00XX) and \ (as \\); \b \t \n \f \r have short forms; every other
    // UTF-16 unit is \uXXXX, and a lone surrogate becomes \uFFFD.
    private static void AppendString(TextBuilder json, string text)
    {
        json.Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= 0xD800 && c <= 0xDFFF)
            {
                bool pair = c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF;
                if (pair)
                {
                    json.Append("\\u").AppendHex4(c).Append("\\u").AppendHex4(text[++i]);
                }
                else
                {
                    json.Append("\\uFFFD");
                }

                continue;
            }

            switch (c)
            {
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\t': json.Append("\\t"); break;
                case '\n': json.Append("\\n"); break;
                case '\f': json.Append("\\f"); break;
                case '\r': json.Append("\\r"); break;
                case '"':
                case '&':
                case '\'':
                case '+':
                case '<':
                case '>':
                case '`':
                    json.Append("\\u").AppendHex4(c);
                    break;
                default:
                    if (c >= ' ' && c <= '~')
                    {
                        json.Append(c);
                    }
                    else
                    {
                        json.Append("\\u").AppendHex4(c);
                    }

                    break;
            }
        }

        json.Append('"');
    }
}
