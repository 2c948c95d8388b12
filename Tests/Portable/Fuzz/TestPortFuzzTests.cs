using System;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.TestPort;
using Protocol.Common;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

/// <summary>
/// The test port's parsers on mutated lines and random bytes: they throw only the project's parse
/// error, and a session fed anything stays within its bounds and answers every line.
/// </summary>
[TestClass]
public class TestPortFuzzTests
{
    private const uint BaseSeed = 0x54500000;

    private static byte[][] CommandSamples()
    {
        string[] lines = new string[] { "PING\n", "KEY 5\n", "KEYS ***1000#\r\n", "RESTART\n", "RESTART HOLD *\r", "DISPLAY?\n", "KEY #\nKEYS 12\n" };
        byte[][] samples = new byte[lines.Length][];
        for (int i = 0; i < lines.Length; i++)
        {
            samples[i] = Ascii.GetBytes(lines[i]);
        }

        return samples;
    }

    private static byte[][] ReplySamples()
    {
        string[] lines = new string[]
        {
            "OK",
            "ERR unknown command",
            TestPortCodec.FormatDisplay(new string[] { "a|b\\c", "Registered" }),
            TestPortCodec.FormatEvent(new PhoneEvent("dhcp.bound").With("leaseSeconds", 3600L).With("callServers", new string[] { "10.0.0.1:6800" })),
        };
        byte[][] samples = new byte[lines.Length][];
        for (int i = 0; i < lines.Length; i++)
        {
            samples[i] = Ascii.GetBytes(lines[i]);
        }

        return samples;
    }

    [TestMethod]
    public void ParseCommandAndParseReplyThrowOnlyProtocolParseException()
    {
        byte[][] commands = CommandSamples();
        byte[][] replies = ReplySamples();
        string failure = string.Empty;
        int parsed = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + (uint)i;
            SeededRandom random = new SeededRandom(seed);
            bool command = random.Next(2) == 0;
            byte[] input = Support.Fuzz.Input(random, command ? commands : replies, 200);
            string line = AsChars(input);
            try
            {
                if (command)
                {
                    TestPortCodec.ParseCommand(line.Length > 0 && line[line.Length - 1] == '\n' ? line.Substring(0, line.Length - 1) : line);
                }
                else
                {
                    TestPortCodec.ParseReply(line);
                }

                parsed++;
            }
            catch (ProtocolParseException)
            {
            }
            catch (Exception e)
            {
                failure = Support.Fuzz.Describe(seed, input, e);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
        Assert.IsTrue(parsed > Support.Fuzz.Iterations / 50, "too few lines parsed: " + parsed.ToString());
    }

    [TestMethod]
    public void ASessionFedAnythingAnswersEveryLineAndStaysBounded()
    {
        byte[][] samples = CommandSamples();
        string failure = string.Empty;
        int answered = 0;
        for (int i = 0; i < Support.Fuzz.Iterations / 10 && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + 0x8000 + (uint)i;
            SeededRandom random = new SeededRandom(seed);
            byte[] input = Support.Fuzz.Input(random, samples, 400);
            RecordingTestPortPhone phone = new RecordingTestPortPhone();
            phone.KeyRoom = 40;
            TestPortSession session = new TestPortSession(phone);
            try
            {
                // Fed in random pieces, the output written out after each as the pump does.
                int at = 0;
                int replies = 0;
                while (at < input.Length)
                {
                    int count = 1 + random.Next(input.Length - at);
                    session.Receive(input, at, count);
                    at += count;
                    replies += Count(TestPortWire.TakeAll(session), '\n');
                }

                // One more line end finishes whatever line was open: every line now has its answer.
                session.Receive(new byte[] { (byte)'\n' }, 0, 1);
                replies += Count(TestPortWire.TakeAll(session), '\n');
                int lineEnds = CountLines(input);
                if (replies != lineEnds || session.DroppedLines != 0 || phone.Keys.Length > 40)
                {
                    failure = "seed " + seed.ToString() + ": " + lineEnds.ToString() + " lines, " + replies.ToString() + " replies, keys '" + phone.Keys + "'";
                }

                answered += replies;
            }
            catch (Exception e)
            {
                failure = Support.Fuzz.Describe(seed, input, e);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
        Assert.IsTrue(answered > Support.Fuzz.Iterations / 10, "too few lines answered: " + answered.ToString());
    }

    // Non-empty lines of the input plus a final '\n': what the session must answer.
    private static int CountLines(byte[] input)
    {
        int lines = 0;
        bool open = false;
        for (int i = 0; i <= input.Length; i++)
        {
            bool end = i == input.Length || input[i] == (byte)'\n' || input[i] == (byte)'\r';
            if (end)
            {
                if (open)
                {
                    lines++;
                }

                open = false;
            }
            else
            {
                open = true;
            }
        }

        return lines;
    }

    private static int Count(string text, char c)
    {
        int count = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == c)
            {
                count++;
            }
        }

        return count;
    }

    private static string AsChars(byte[] input)
    {
        char[] chars = new char[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            chars[i] = (char)input[i];
        }

        return new string(chars);
    }
}
