using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.TestPort;
using PhoneFirmware.Host;

namespace Tests.TestPort;

/// <summary>
/// The test port's EVENT lines carry "the same JSON events as `phone --events json`": the device's
/// hand-written <see cref="EventJson"/> must give, character for character, what the host's
/// System.Text.Json-based <see cref="EventWriter"/> gives, for any event.
/// </summary>
[TestClass]
public class EventJsonMatchesEventWriterTests
{
    private static readonly string[] Names = { "registered", "dhcp.bound", "display", "x", "pin.prompt" };
    private static readonly string[] FieldNames = { "dn", "text", "row", "leaseSeconds", "callServers", "verified", "reason" };

    [TestMethod]
    public void RandomEventsAreWrittenExactlyAsTheHostWritesThem()
    {
        for (int seed = 0; seed < 20_000; seed++)
        {
            Random random = new(seed);
            PhoneEvent phoneEvent = new(Names[random.Next(Names.Length)]);
            int fields = random.Next(6);
            for (int i = 0; i < fields; i++)
            {
                phoneEvent.With(FieldNames[random.Next(FieldNames.Length)], RandomValue(random));
            }

            string expected = EventWriter.ToJson(phoneEvent);
            string actual = EventJson.Format(phoneEvent);
            Assert.AreEqual(expected, actual, "seed " + seed);
            using JsonDocument parsed = JsonDocument.Parse(actual);
            Assert.AreEqual(phoneEvent.Name, parsed.RootElement.GetProperty("event").GetString(), "seed " + seed);
        }
    }

    [TestMethod]
    public void EveryCharacterIsEscapedAsTheHostEscapesIt()
    {
        StringBuilder all = new();
        for (int c = 0; c < 0x10000; c++)
        {
            all.Append((char)c);
        }

        PhoneEvent phoneEvent = new PhoneEvent("display").With("text", all.ToString());
        Assert.AreEqual(EventWriter.ToJson(phoneEvent), EventJson.Format(phoneEvent));
    }

    private static object RandomValue(Random random)
    {
        switch (random.Next(6))
        {
            case 0: return RandomText(random);
            case 1: return random.Next(int.MinValue, int.MaxValue);
            case 2: return random.NextInt64(long.MinValue, long.MaxValue);
            case 3: return random.Next(2) == 0;
            case 4:
                List<string> list = new();
                int count = random.Next(4);
                for (int i = 0; i < count; i++)
                {
                    list.Add(RandomText(random));
                }

                return list.ToArray();
            default: return (uint)random.Next();
        }
    }

    private static string RandomText(Random random)
    {
        StringBuilder text = new();
        int length = random.Next(12);
        for (int i = 0; i < length; i++)
        {
            text.Append(random.Next(4) switch
            {
                0 => (char)random.Next(0x20, 0x7F),
                1 => (char)random.Next(0, 0x20),
                2 => (char)random.Next(0x80, 0x10000),
                _ => "\"\\<>&'+`|"[random.Next(9)],
            });
        }

        return text.ToString();
    }
}
