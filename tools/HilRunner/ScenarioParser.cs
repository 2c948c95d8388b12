using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using PhoneFirmware.Core.TestPort;

namespace HilRunner;

/// <summary>
/// Reads a scenario file: one step per line, blank lines and lines starting with '#' skipped
/// (a '#' later in a line is a key, as in <c>type ***1000#</c>). Every mistake is a
/// <see cref="ScenarioException"/> naming the file and line; nothing runs unless all lines parse.
/// </summary>
public static class ScenarioParser
{
    public const int MaxLineLength = 1000;
    public const int MaxSteps = 1000;
    public const int MaxKeys = 256;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    private const string Steps = "restart, type, expect, screen, wait";

    public static List<ScenarioStep> Parse(string text, string source)
    {
        List<ScenarioStep> steps = new();
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string where = source + " line " + (i + 1).ToString(CultureInfo.InvariantCulture) + ": ";
            if (line.Length > MaxLineLength)
            {
                throw new ScenarioException(where + "longer than " + MaxLineLength.ToString(CultureInfo.InvariantCulture) + " characters");
            }

            if (steps.Count == MaxSteps)
            {
                throw new ScenarioException(where + "more than " + MaxSteps.ToString(CultureInfo.InvariantCulture) + " steps");
            }

            steps.Add(ParseStep(Tokenize(line, where), i + 1, line, where));
        }

        if (steps.Count == 0)
        {
            throw new ScenarioException(source + ": no steps (" + Steps + ")");
        }

        return steps;
    }

    private static ScenarioStep ParseStep(List<string> tokens, int number, string line, string where)
    {
        TimeSpan timeout = TakeWithin(tokens, where);
        switch (tokens[0])
        {
            case "restart":
                bool hold = tokens.Count == 3 && tokens[1] == "hold" && tokens[2] == "*";
                if (tokens.Count != 1 && !hold)
                {
                    throw new ScenarioException(where + "restart takes nothing or 'hold *'");
                }

                return new ScenarioStep { Kind = ScenarioStepKind.Restart, Line = number, Text = line, HoldStar = hold, Timeout = timeout };
            case "type":
                string? keys = tokens.Count == 2 ? Hal.KeyText.Parse(tokens[1], MaxKeys, out string error) : null;
                if (keys == null)
                {
                    throw new ScenarioException(where + "type takes 1 to " + MaxKeys.ToString(CultureInfo.InvariantCulture) + " keys of " + Hal.KeyText.Accepted
                        + " with no spaces, e.g. type ***1000{ok}");
                }

                return new ScenarioStep { Kind = ScenarioStepKind.Type, Line = number, Text = line, Argument = keys, Timeout = timeout };
            case "expect":
                if (tokens.Count < 2 || !IsEventName(tokens[1]))
                {
                    throw new ScenarioException(where + "expect takes an event name (e.g. expect registered within 20s)");
                }

                List<KeyValuePair<string, string>> fields = new();
                for (int i = 2; i < tokens.Count; i++)
                {
                    int equals = tokens[i].IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0 || !IsEventName(tokens[i][..equals]))
                    {
                        throw new ScenarioException(where + "'" + tokens[i] + "' is not field=value (e.g. expect registered dn=1000)");
                    }

                    fields.Add(new KeyValuePair<string, string>(tokens[i][..equals], tokens[i][(equals + 1)..]));
                }

                return new ScenarioStep { Kind = ScenarioStepKind.Expect, Line = number, Text = line, Argument = tokens[1], Fields = fields, Timeout = timeout };
            case "screen":
                if (tokens.Count != 2 || tokens[1].Length == 0)
                {
                    throw new ScenarioException(where + "screen takes one text, quoted if it has spaces (e.g. screen \"Enter PIN:\")");
                }

                return new ScenarioStep { Kind = ScenarioStepKind.Screen, Line = number, Text = line, Argument = tokens[1], Timeout = timeout };
            case "wait":
                if (tokens.Count != 2)
                {
                    throw new ScenarioException(where + "wait takes a duration (e.g. wait 2s)");
                }

                return new ScenarioStep { Kind = ScenarioStepKind.Wait, Line = number, Text = line, Timeout = ParseDuration(tokens[1], where) };
            default:
                throw new ScenarioException(where + "unknown step '" + tokens[0] + "' (" + Steps + ")");
        }
    }

    // Removes a trailing "within T" and returns T, or the default.
    private static TimeSpan TakeWithin(List<string> tokens, string where)
    {
        int at = tokens.IndexOf("within");
        if (at < 0)
        {
            return DefaultTimeout;
        }

        if (at == 0 || at != tokens.Count - 2)
        {
            throw new ScenarioException(where + "'within' comes last, followed by a duration (e.g. within 20s)");
        }

        TimeSpan timeout = ParseDuration(tokens[at + 1], where);
        tokens.RemoveRange(at, 2);
        return timeout;
    }

    /// <summary>Whole seconds ("20s") or milliseconds ("500ms"), from 1 ms to an hour.</summary>
    public static TimeSpan ParseDuration(string text, string where)
    {
        bool milliseconds = text.EndsWith("ms", StringComparison.Ordinal);
        string digits = milliseconds ? text[..^2] : text.EndsWith('s') ? text[..^1] : string.Empty;
        if (digits.Length == 0 || digits.Length > 7 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value == 0)
        {
            throw new ScenarioException(where + "'" + text + "' is not a duration like 20s or 500ms");
        }

        TimeSpan duration = milliseconds ? TimeSpan.FromMilliseconds(value) : TimeSpan.FromSeconds(value);
        if (duration > MaxTimeout)
        {
            throw new ScenarioException(where + "'" + text + "' is longer than an hour");
        }

        return duration;
    }

    private static List<string> Tokenize(string line, string where)
    {
        List<string> tokens = new();
        int i = 0;
        while (i < line.Length)
        {
            if (line[i] == ' ' || line[i] == '\t')
            {
                i++;
                continue;
            }

            StringBuilder token = new();
            bool quoted = false;
            while (i < line.Length && (quoted || (line[i] != ' ' && line[i] != '\t')))
            {
                char c = line[i++];
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == '\\' && quoted && i < line.Length && (line[i] == '"' || line[i] == '\\'))
                {
                    token.Append(line[i++]);
                }
                else
                {
                    token.Append(c);
                }
            }

            if (quoted)
            {
                throw new ScenarioException(where + "a quote is not closed");
            }

            tokens.Add(token.ToString());
        }

        return tokens;
    }

    private static bool IsEventName(string name)
    {
        if (name.Length == 0 || name.Length > 64)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '.' && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The keys of a type step split for KEYS lines the test port accepts: at most 32 keys, and a line that fits its limit once {ok}/{bs} are spelt out.</summary>
    public static List<string> KeyChunks(string keys)
    {
        List<string> chunks = new();
        int room = TestPortLimits.MaxCommandLength - "KEYS ".Length;
        int start = 0;
        int length = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            int width = Hal.KeyText.Format(keys[i].ToString()).Length;
            if (i - start == TestPortLimits.MaxKeysPerCommand || length + width > room)
            {
                chunks.Add(keys[start..i]);
                start = i;
                length = 0;
            }

            length += width;
        }

        if (start < keys.Length)
        {
            chunks.Add(keys[start..]);
        }

        return chunks;
    }
}
