using System.Text.Json;

namespace HilRunner;

/// <summary>An EVENT line from the phone: its name and JSON object.</summary>
public sealed class ReceivedEvent
{
    public ReceivedEvent(string name, JsonElement json)
    {
        Name = name;
        Json = json;
    }

    public string Name { get; }

    public JsonElement Json { get; }

    /// <summary>True when the event has the field and its value, as text, equals <paramref name="expected"/>.</summary>
    public bool HasField(string field, string expected)
    {
        if (!Json.TryGetProperty(field, out JsonElement value))
        {
            return false;
        }

        string text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            _ => value.GetRawText(),
        };
        return text == expected;
    }
}
