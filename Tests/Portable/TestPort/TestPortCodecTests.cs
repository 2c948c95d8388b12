using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.TestPort;
using Tests.Portable.Support;

namespace Tests.Portable.TestPort;

/// <summary>The lines of docs/test-port.md, both directions.</summary>
[TestClass]
public class TestPortCodecTests
{
    [TestMethod]
    public void ParsesEveryCommandOfTheProtocol()
    {
        Assert.AreEqual((int)TestPortCommandKind.Ping, (int)TestPortCodec.ParseCommand("PING").Kind);
        TestPortCommand key = TestPortCodec.ParseCommand("KEY 5");
        Assert.AreEqual((int)TestPortCommandKind.Key, (int)key.Kind);
        Assert.AreEqual("5", key.Keys);
        TestPortCommand keys = TestPortCodec.ParseCommand("KEYS ***1000#");
        Assert.AreEqual((int)TestPortCommandKind.Keys, (int)keys.Kind);
        Assert.AreEqual("***1000#", keys.Keys);
        TestPortCommand restart = TestPortCodec.ParseCommand("RESTART");
        Assert.AreEqual((int)TestPortCommandKind.Restart, (int)restart.Kind);
        Assert.IsFalse(restart.HoldStar);
        Assert.IsTrue(TestPortCodec.ParseCommand("RESTART HOLD *").HoldStar);
        Assert.AreEqual((int)TestPortCommandKind.DisplayQuery, (int)TestPortCodec.ParseCommand("DISPLAY?").Kind);
    }

    [TestMethod]
    public void TheConfirmAndBackspaceKeysTravelAsTheirTokens()
    {
        Assert.AreEqual("***1000" + Hal.Keys.Confirm, TestPortCodec.ParseCommand("KEYS ***1000{ok}").Keys);
        Assert.AreEqual(Hal.Keys.Backspace.ToString(), TestPortCodec.ParseCommand("KEY {bs}").Keys);
        Assert.AreEqual("KEYS 12{bs}3{ok}", TestPortCodec.FormatCommand(TestPortCommand.KeySequence("12" + Hal.Keys.Backspace + "3" + Hal.Keys.Confirm)));
        Assert.AreEqual("KEY {ok}", TestPortCodec.FormatCommand(TestPortCommand.Key(Hal.Keys.Confirm)));
        AssertThrows.ParseError(() => TestPortCodec.ParseCommand("KEY {ok}1"));
        AssertThrows.ParseError(() => TestPortCodec.ParseCommand("KEYS 12{enter}"));
        AssertThrows.ParseError(() => TestPortCodec.ParseCommand("KEYS 12\n"));
    }

    [TestMethod]
    public void FormattedCommandsParseBackToTheSameCommand()
    {
        TestPortCommand[] commands = new TestPortCommand[]
        {
            TestPortCommand.Ping(),
            TestPortCommand.Key('#'),
            TestPortCommand.KeySequence("***1000#"),
            TestPortCommand.KeySequence("###1001" + Hal.Keys.Backspace + "2" + Hal.Keys.Confirm),
            TestPortCommand.Key(Hal.Keys.Confirm),
            TestPortCommand.Restart(false),
            TestPortCommand.Restart(true),
            TestPortCommand.DisplayQuery(),
        };
        for (int i = 0; i < commands.Length; i++)
        {
            TestPortCommand parsed = TestPortCodec.ParseCommand(TestPortCodec.FormatCommand(commands[i]));
            Assert.AreEqual((int)commands[i].Kind, (int)parsed.Kind);
            Assert.AreEqual(commands[i].Keys, parsed.Keys);
            Assert.AreEqual(commands[i].HoldStar, parsed.HoldStar);
        }
    }

    [TestMethod]
    public void RefusesMalformedCommands()
    {
        string[] bad = new string[]
        {
            string.Empty, "ping", "KEY", "KEY ", "KEY 55", "KEY A", "KEYS ", "KEYS 12a", "KEYS 123456789012345678901234567890123",
            "RESTART HOLD", "RESTART HOLD #", "RESTART  HOLD *", "DISPLAY", " PING", "PING ",
        };
        for (int i = 0; i < bad.Length; i++)
        {
            string line = bad[i];
            AssertThrows.ParseError(() => TestPortCodec.ParseCommand(line));
        }
    }

    [TestMethod]
    public void ParsesEachKindOfReply()
    {
        Assert.AreEqual((int)TestPortReplyKind.Ok, (int)TestPortCodec.ParseReply("OK").Kind);
        TestPortReply error = TestPortCodec.ParseReply("ERR keypad queue full");
        Assert.AreEqual((int)TestPortReplyKind.Error, (int)error.Kind);
        Assert.AreEqual("keypad queue full", error.Text);
        TestPortReply display = TestPortCodec.ParseReply("DISPLAY Enter PIN:|***1");
        Assert.AreEqual((int)TestPortReplyKind.Display, (int)display.Kind);
        Assert.AreEqual(2, display.Lines.Length);
        Assert.AreEqual("Enter PIN:", display.Lines[0]);
        Assert.AreEqual("***1", display.Lines[1]);
        TestPortReply phoneEvent = TestPortCodec.ParseReply("EVENT {\"event\":\"pin.prompt\",\"reason\":\"none-stored\"}");
        Assert.AreEqual((int)TestPortReplyKind.Event, (int)phoneEvent.Kind);
        Assert.AreEqual("{\"event\":\"pin.prompt\",\"reason\":\"none-stored\"}", phoneEvent.Text);
        string[] bad = new string[] { "ok", "ERR", "ERR ", "EVENT", "EVENT []", "EVENT {", "DISPLAY a\\b", "DISPLAY a\\", "HELLO" };
        for (int i = 0; i < bad.Length; i++)
        {
            string line = bad[i];
            AssertThrows.ParseError(() => TestPortCodec.ParseReply(line));
        }
    }

    [TestMethod]
    public void DisplayLinesKeepBarsAndBackslashesThroughEscaping()
    {
        string line = TestPortCodec.FormatDisplay(new string[] { "a|b\\c", string.Empty, "x\u00e9\ty" });
        Assert.AreEqual("DISPLAY a\\|b\\\\c||x??y", line);
        string[] lines = TestPortCodec.ParseReply(line).Lines;
        Assert.AreEqual(3, lines.Length);
        Assert.AreEqual("a|b\\c", lines[0]);
        Assert.AreEqual(string.Empty, lines[1]);
        Assert.AreEqual("x??y", lines[2]);
    }

    [TestMethod]
    public void ErrorReasonsAreCutToBoundedPrintableText()
    {
        string reason = "bad\nline";
        for (int i = 0; i < 30; i++)
        {
            reason += "0123456789";
        }

        string line = TestPortCodec.FormatError(reason);
        Assert.AreEqual("ERR bad?line0123", line.Substring(0, 16));
        Assert.AreEqual(4 + 200, line.Length);
    }

    [TestMethod]
    public void AnEventTooLongForOneLineIsSentTruncated()
    {
        string big = string.Empty;
        for (int i = 0; i < 120; i++)
        {
            big += "0123456789";
        }

        string line = TestPortCodec.FormatEvent(new PhoneEvent("display").With("row", 0).With("text", big));
        Assert.AreEqual("EVENT {\"event\":\"display\",\"truncated\":true}", line);
        Assert.IsTrue(line.Length <= TestPortLimits.MaxReplyLength);
    }
}
