using System;
using System.IO;
using System.Text.Json;
using PhoneFirmware.Core.Events;

namespace PhoneFirmware.Host;

/// <summary>Writes phone events as JSON lines (`--events json`) or as readable text.</summary>
public sealed class EventWriter : IPhoneEventSink
{
    private readonly TextWriter _output;
    private readonly bool _json;
    private readonly object _gate = new();

    public EventWriter(TextWriter output, bool json)
    {
        _output = output;
        _json = json;
    }

    public static string ToJson(PhoneEvent phoneEvent)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event", phoneEvent.Name);
            for (int i = 0; i < phoneEvent.FieldCount; i++)
            {
                string name = phoneEvent.FieldName(i);
                switch (phoneEvent.FieldValue(i))
                {
                    case string text:
                        writer.WriteString(name, text);
                        break;
                    case int number:
                        writer.WriteNumber(name, number);
                        break;
                    case long number:
                        writer.WriteNumber(name, number);
                        break;
                    case bool flag:
                        writer.WriteBoolean(name, flag);
                        break;
                    case string[] list:
                        writer.WriteStartArray(name);
                        foreach (string item in list)
                        {
                            writer.WriteStringValue(item);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        writer.WriteString(name, Convert.ToString(phoneEvent.FieldValue(i), System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string ToText(PhoneEvent phoneEvent)
    {
        string text = phoneEvent.Name;
        for (int i = 0; i < phoneEvent.FieldCount; i++)
        {
            object value = phoneEvent.FieldValue(i);
            string rendered = value is string[] list ? "[" + string.Join(", ", list) + "]" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            text += " " + phoneEvent.FieldName(i) + "=" + rendered;
        }

        return text;
    }

    public void Publish(PhoneEvent phoneEvent)
    {
        string line = _json ? ToJson(phoneEvent) : ToText(phoneEvent);
        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }
}
