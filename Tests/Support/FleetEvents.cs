using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Tests.Support;

/// <summary>Reads `phone fleet --events json` output: each phone's events, in order, by its index.</summary>
public static class FleetEvents
{
    public static Dictionary<int, List<JsonElement>> ByPhone(string output)
    {
        Dictionary<int, List<JsonElement>> byPhone = new();
        foreach (string line in output.Split('\n'))
        {
            if (!line.StartsWith("{\"phone\":", StringComparison.Ordinal))
            {
                continue; // the summary, the controller's lines
            }

            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement e = document.RootElement.Clone();
            int index = e.GetProperty("phone").GetInt32();
            if (!byPhone.TryGetValue(index, out List<JsonElement>? list))
            {
                byPhone[index] = list = new List<JsonElement>();
            }

            list.Add(e);
        }

        return byPhone;
    }

    /// <summary>The end of a long output, for assertion messages.</summary>
    public static string Tail(string output)
    {
        return output.Length <= 6000 ? output : "..." + output[^6000..];
    }
}
