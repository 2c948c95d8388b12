using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.TestPort;
using Tests.Portable.Support;

namespace Tests.Portable.TestPort;

/// <summary>The phone's end of the test port: commands carried out and answered, events out, bounded output.</summary>
[TestClass]
public class TestPortSessionTests
{
    [TestMethod]
    public void KeysGoToTheKeypadAndAreAnsweredOk()
    {
        RecordingTestPortPhone phone = new RecordingTestPortPhone();
        TestPortSession session = new TestPortSession(phone);
        TestPortWire.Send(session, "KEY 5\nKEYS ***1000#\r\n");
        Assert.AreEqual("5***1000#", phone.Keys);
        Assert.AreEqual("OK\nOK\n", TestPortWire.TakeAll(session));
    }

    [TestMethod]
    public void ALineSplitAcrossReadsIsOneCommand()
    {
        RecordingTestPortPhone phone = new RecordingTestPortPhone();
        TestPortSession session = new TestPortSession(phone);
        TestPortWire.Send(session, "KE");
        TestPortWire.Send(session, "YS 12");
        Assert.AreEqual(string.Empty, phone.Keys);
        TestPortWire.Send(session, "#\r");
        Assert.AreEqual("12#", phone.Keys);
        Assert.AreEqual("OK\n", TestPortWire.TakeAll(session));
    }

    [TestMethod]
    public void MalformedLinesAreAnsweredErrAndChangeNothing()
    {
        RecordingTestPortPhone phone = new RecordingTestPortPhone();
        TestPortSession session = new TestPortSession(phone);
        string tooLong = "KEYS ";
        for (int i = 0; i < TestPortLimits.MaxCommandLength; i++)
        {
            tooLong += "1";
        }

        TestPortWire.Send(session, "KEY x\nRESTART NOW\n" + tooLong + "\nKEYS 1\u00012\nhello\n");
        byte[] binary = new byte[] { (byte)'K', (byte)'E', (byte)'Y', (byte)' ', 0xB5, (byte)'\n' };
        session.Receive(binary, 0, binary.Length);
        Assert.AreEqual(string.Empty, phone.Keys);
        Assert.AreEqual(0, phone.Restarts);
        string[] replies = TestPortWire.TakeAll(session).Split('\n');
        Assert.AreEqual(7, replies.Length);
        for (int i = 0; i < 6; i++)
        {
            Assert.AreEqual("ERR ", replies[i].Substring(0, 4), replies[i]);
        }

        Assert.AreEqual(string.Empty, replies[6]);
    }

    [TestMethod]
    public void RestartIsAnsweredBeforeThePhoneIsAskedToPowerCycle()
    {
        RecordingTestPortPhone phone = new RecordingTestPortPhone();
        TestPortSession session = new TestPortSession(phone);
        TestPortWire.Send(session, "RESTART HOLD *\n");
        Assert.AreEqual(1, phone.Restarts);
        Assert.IsTrue(phone.LastRestartHeldStar);
        Assert.AreEqual("OK\n", TestPortWire.TakeAll(session));
        TestPortWire.Send(session, "RESTART\n");
        Assert.AreEqual(2, phone.Restarts);
        Assert.IsFalse(phone.LastRestartHeldStar);
    }

    [TestMethod]
    public void DisplayQueryAnswersWithEveryScreenLine()
    {
        RecordingTestPortPhone phone = new RecordingTestPortPhone();
        phone.Screen = new string[] { "DN 1000", "Registered" };
        TestPortSession session = new TestPortSession(phone);
        TestPortWire.Send(session, "DISPLAY?\n");
        Assert.AreEqual("DISPLAY DN 1000|Registered\n", TestPortWire.TakeAll(session));
    }

    [TestMethod]
    public void KeysThatDoNotFitAreRefusedWhole()
    {
        RecordingTestPortPhone phone = new RecordingTestPortPhone();
        phone.KeyRoom = 3;
        TestPortSession session = new TestPortSession(phone);
        TestPortWire.Send(session, "KEYS 1234\nKEYS 123\n");
        Assert.AreEqual("123", phone.Keys);
        Assert.AreEqual("ERR keypad queue full\nOK\n", TestPortWire.TakeAll(session));
    }

    [TestMethod]
    public void EventsGoOutAsEventLines()
    {
        TestPortSession session = new TestPortSession(new RecordingTestPortPhone());
        session.Publish(new PhoneEvent(EventNames.PinPrompt).With("reason", "none-stored"));
        Assert.AreEqual("EVENT {\"event\":\"pin.prompt\",\"reason\":\"none-stored\"}\n", TestPortWire.TakeAll(session));
    }

    [TestMethod]
    public void AFullOutputDropsWholeLinesAndSaysHowManyOnceThereIsRoom()
    {
        TestPortSession session = new TestPortSession(new RecordingTestPortPhone());
        PhoneEvent phoneEvent = new PhoneEvent(EventNames.Display).With("row", 0).With("text", "Waiting for link");
        int lineLength = TestPortCodec.FormatEvent(phoneEvent).Length + 1;
        int fitting = TestPortLimits.OutputCapacity / lineLength;
        for (int i = 0; i < fitting + 5; i++)
        {
            session.Publish(phoneEvent);
        }

        Assert.AreEqual(fitting * lineLength, session.PendingOutput);
        Assert.AreEqual(5, session.DroppedLines);
        string all = TestPortWire.TakeAll(session);
        Assert.AreEqual(fitting * lineLength, all.Length);
        session.Publish(new PhoneEvent(EventNames.PinPrompt));
        Assert.AreEqual("EVENT {\"event\":\"testport.overflow\",\"dropped\":5}\nEVENT {\"event\":\"pin.prompt\"}\n", TestPortWire.TakeAll(session));
    }

    [TestMethod]
    public void OutputTakenInPiecesComesOutInOrder()
    {
        TestPortSession session = new TestPortSession(new RecordingTestPortPhone());
        TestPortWire.Send(session, "PING\nDISPLAY?\n");
        byte[] piece = new byte[3];
        string seen = string.Empty;
        while (session.PendingOutput > 0)
        {
            int count = session.PeekOutput(piece, 0, piece.Length);
            int taken = count > 1 ? count - 1 : count;
            session.ConsumeOutput(taken);
            for (int i = 0; i < taken; i++)
            {
                seen += (char)piece[i];
            }
        }

        Assert.AreEqual("OK\nDISPLAY Enter PIN:|\n", seen);
    }
}
