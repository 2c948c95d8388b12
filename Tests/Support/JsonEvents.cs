using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Tests.Support;

/// <summary>The `phone --events json` output as lab scripts read it: one JSON object per line.</summary>
public static class JsonEvents
{
    public static List<JsonElement> Parse(string output)
    {
        List<JsonElement> events = new();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('{'))
            {
                events.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }

        return events;
    }

    /// <summary>The first event of that name; fails the test when there is none.</summary>
    public static JsonElement Find(List<JsonElement> events, string name)
    {
        JsonElement found = events.Find(e => e.GetProperty("event").GetString() == name);
        Assert.AreEqual(JsonValueKind.Object, found.ValueKind, "no " + name + " event");
        return found;
    }
}
