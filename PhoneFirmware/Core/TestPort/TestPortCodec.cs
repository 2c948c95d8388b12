using Hal;
using PhoneFirmware.Core.Events;
using Protocol.Common;

namespace PhoneFirmware.Core.TestPort;

/// <summary>
/// Text of the serial test port's lines, both directions (docs/test-port.md). Lines are printable
/// ASCII without their line end; <see cref="TestPortLineReader"/> cuts them from the byte stream.
/// Parsing throws only <see cref="ProtocolParseException"/>.
/// </summary>
public static class TestPortCodec
{
    public const string Ok = "OK";

    private const string ErrorPrefix = "ERR ";
    private const string DisplayPrefix = "DISPLAY ";
    private const string EventPrefix = "EVENT ";
    private const string KeyPrefix = "KEY ";
    private const string KeysPrefix = "KEYS ";
    private const int MaxErrorReasonLength = 200;

    /// <summary>Parses a host-to-phone line.</summary>
    public static TestPortCommand ParseCommand(string line)
    {
        if (line.Length > TestPortLimits.MaxCommandLength)
        {
            throw new ProtocolParseException("line longer than " + TestPortLimits.MaxCommandLength.ToString() + " characters");
        }

        if (line == "PING")
        {
            return TestPortCommand.Ping();
        }

        if (line == "DISPLAY?")
        {
            return TestPortCommand.DisplayQuery();
        }

        if (line == "RESTART")
        {
            return TestPortCommand.Restart(false);
        }

        if (line == "RESTART HOLD *")
        {
            return TestPortCommand.Restart(true);
        }

        if (StartsWith(line, KeysPrefix))
        {
            string? keys = KeyText.Parse(line.Substring(KeysPrefix.Length), TestPortLimits.MaxKeysPerCommand, out string error);
            if (keys == null)
            {
                throw new ProtocolParseException("KEYS takes 1 to " + TestPortLimits.MaxKeysPerCommand.ToString() + " keys of " + KeyText.Accepted + ": " + error);
            }

            return TestPortCommand.KeySequence(keys);
        }

        if (StartsWith(line, KeyPrefix))
        {
            string? key = KeyText.Parse(line.Substring(KeyPrefix.Length), 1, out string error);
            if (key == null)
            {
                throw new ProtocolParseException("KEY takes one key of " + KeyText.Accepted + ": " + error);
            }

            return TestPortCommand.Key(key[0]);
        }

        if (StartsWith(line, "RESTART"))
        {
            throw new ProtocolParseException("RESTART takes nothing or HOLD *");
        }

        throw new ProtocolParseException("unknown command (PING, KEY k, KEYS kkk, RESTART [HOLD *], DISPLAY?)");
    }

    /// <summary>The line that asks for <paramref name="command"/> (what a test host sends).</summary>
    public static string FormatCommand(TestPortCommand command)
    {
        switch (command.Kind)
        {
            case TestPortCommandKind.Ping: return "PING";
            case TestPortCommandKind.Key: return KeyPrefix + KeyText.Format(command.Keys);
            case TestPortCommandKind.Keys: return KeysPrefix + KeyText.Format(command.Keys);
            case TestPortCommandKind.Restart: return command.HoldStar ? "RESTART HOLD *" : "RESTART";
            default: return "DISPLAY?";
        }
    }

    /// <summary><c>ERR reason</c>, the reason cut to printable ASCII and a bounded length.</summary>
    public static string FormatError(string reason)
    {
        TextBuilder line = new TextBuilder(ErrorPrefix.Length + reason.Length);
        line.Append(ErrorPrefix);
        int count = reason.Length < MaxErrorReasonLength ? reason.Length : MaxErrorReasonLength;
        for (int i = 0; i < count; i++)
        {
            char c = reason[i];
            line.Append(c >= ' ' && c <= '~' ? c : '?');
        }

        return line.ToString();
    }

    /// <summary>
    /// <c>DISPLAY line1|line2</c>: lines joined by '|', a '|' or '\' inside a line escaped with '\',
    /// anything not printable ASCII shown as '?'.
    /// </summary>
    public static string FormatDisplay(string[] lines)
    {
        TextBuilder line = new TextBuilder(64);
        line.Append(DisplayPrefix);
        for (int row = 0; row < lines.Length; row++)
        {
            if (row > 0)
            {
                line.Append('|');
            }

            string text = lines[row];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '|' || c == '\\')
                {
                    line.Append('\\');
                }

                line.Append(c >= ' ' && c <= '~' ? c : '?');
            }
        }

        return line.ToString();
    }

    /// <summary>
    /// <c>EVENT {json}</c>; an event whose line would exceed <see cref="TestPortLimits.MaxReplyLength"/>
    /// is sent as its name with <c>"truncated":true</c>.
    /// </summary>
    public static string FormatEvent(PhoneEvent phoneEvent)
    {
        string json = EventJson.Format(phoneEvent);
        if (EventPrefix.Length + json.Length > TestPortLimits.MaxReplyLength)
        {
            json = EventJson.Format(new PhoneEvent(phoneEvent.Name).With("truncated", true));
        }

        return EventPrefix + json;
    }

    /// <summary>Parses a phone-to-host line.</summary>
    public static TestPortReply ParseReply(string line)
    {
        if (line.Length > TestPortLimits.MaxReplyLength)
        {
            throw new ProtocolParseException("line longer than " + TestPortLimits.MaxReplyLength.ToString() + " characters");
        }

        if (line == Ok)
        {
            return new TestPortReply(TestPortReplyKind.Ok, string.Empty, new string[0]);
        }

        if (StartsWith(line, ErrorPrefix) && line.Length > ErrorPrefix.Length)
        {
            return new TestPortReply(TestPortReplyKind.Error, line.Substring(ErrorPrefix.Length), new string[0]);
        }

        if (StartsWith(line, EventPrefix))
        {
            string json = line.Substring(EventPrefix.Length);
            if (json.Length < 2 || json[0] != '{' || json[json.Length - 1] != '}')
            {
                throw new ProtocolParseException("EVENT carries one JSON object");
            }

            return new TestPortReply(TestPortReplyKind.Event, json, new string[0]);
        }

        if (StartsWith(line, DisplayPrefix))
        {
            return new TestPortReply(TestPortReplyKind.Display, string.Empty, ParseDisplayLines(line, DisplayPrefix.Length));
        }

        throw new ProtocolParseException("not a test port reply (OK, ERR, DISPLAY, EVENT)");
    }

    private static string[] ParseDisplayLines(string line, int start)
    {
        int rows = 1;
        for (int i = start; i < line.Length; i++)
        {
            if (line[i] == '\\')
            {
                i++;
            }
            else if (line[i] == '|')
            {
                rows++;
            }
        }

        string[] lines = new string[rows];
        int row = 0;
        TextBuilder current = new TextBuilder(32);
        for (int i = start; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\\')
            {
                if (i + 1 >= line.Length || (line[i + 1] != '|' && line[i + 1] != '\\'))
                {
                    throw new ProtocolParseException("DISPLAY: '\\' escapes only '|' and '\\'");
                }

                current.Append(line[++i]);
            }
            else if (c == '|')
            {
                lines[row++] = current.ToString();
                current = new TextBuilder(32);
            }
            else
            {
                current.Append(c);
            }
        }

        lines[row] = current.ToString();
        return lines;
    }

    private static bool StartsWith(string text, string prefix)
    {
        if (text.Length < prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            if (text[i] != prefix[i])
            {
                return false;
            }
        }

        return true;
    }
}
