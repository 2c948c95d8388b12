using Protocol.Common;
using Protocol.Tftp;
using Tests.Portable.Support;

namespace Tests.Portable.Tftp;

/// <summary>
/// The server session at the edges: which option values it grants, when it has something to hand
/// out, what it does with a client's ERROR or a packet that is not an ACK, what an ACK outside
/// the window does, what happens once it has finished, and files that read short or shrink.
/// </summary>
[TestClass]
public class TftpReadSessionCornerTests
{
    private static TftpReadSession Session(string[] names, string[] values, ITftpFileSource file, TftpSessionLimits limits)
    {
        byte[] request = TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.img", "octet", names, values);
        return new TftpReadSession(TftpPacket.Parse(request, 0, request.Length), file, limits);
    }

    private static TftpReadSession Session(string name, string value, int maximumTimeoutSeconds)
    {
        TftpSessionLimits limits = new TftpSessionLimits();
        limits.MaximumTimeoutSeconds = maximumTimeoutSeconds;
        return Session(new string[] { name }, new string[] { value }, new MemoryFileSource(Bytes.Filled(2000, 1)), limits);
    }

    private static TftpReadSession Plain(ITftpFileSource file)
    {
        return Session(new string[0], new string[0], file, new TftpSessionLimits());
    }

    private static TftpPacket Parsed(TftpDatagram? datagram)
    {
        Assert.IsNotNull(datagram);
        return TftpPacket.Parse(datagram!.Data, 0, datagram.Length);
    }

    private static void Send(TftpReadSession session, byte[] packet, long now)
    {
        session.OnReceive(packet, 0, packet.Length, now);
    }

    [TestMethod]
    public void OptionValuesOutsideTheirRangesAreNotGranted()
    {
        // { name, value } with the session's largest timeout: none may reach the OACK, so the
        // transfer starts at once with block 1 of 512 bytes. 256 is past RFC 2349's range.
        string[][] cases = new string[][]
        {
            new string[] { "blksize", "4" },
            new string[] { "blksize", "0" },
            new string[] { "windowsize", "0" },
            new string[] { "tsize", "5" },
            new string[] { "timeout", "0" },
            new string[] { "timeout", "256" },
            new string[] { "timeout", "11" },
        };
        int[] maximumTimeouts = new int[] { 10, 10, 10, 10, 10, 1000, 10 };
        for (int i = 0; i < cases.Length; i++)
        {
            string what = cases[i][0] + " " + cases[i][1];
            TftpReadSession session = Session(cases[i][0], cases[i][1], maximumTimeouts[i]);
            session.Start(0);
            TftpPacket first = Parsed(session.Poll(0));
            Assert.AreEqual(TftpOpcode.Data, first.Opcode, what);
            Assert.AreEqual(1, first.Block, what);
            Assert.AreEqual(512, first.DataLength, what);
            Assert.AreEqual(1, session.WindowSize, what);
            Assert.AreEqual(1000L, session.NextDeadline, what);
        }
    }

    [TestMethod]
    public void OptionValuesAtTheEdgesOfTheirRangesAreGranted()
    {
        string[][] cases = new string[][]
        {
            new string[] { "blksize", "8" },
            new string[] { "windowsize", "1" },
            new string[] { "timeout", "1" },
            new string[] { "timeout", "10" },
            new string[] { "timeout", "255" },
        };
        int[] maximumTimeouts = new int[] { 10, 10, 10, 10, 255 };
        for (int i = 0; i < cases.Length; i++)
        {
            string what = cases[i][0] + " " + cases[i][1];
            TftpReadSession session = Session(cases[i][0], cases[i][1], maximumTimeouts[i]);
            session.Start(0);
            TftpPacket oack = Parsed(session.Poll(0));
            Assert.AreEqual(TftpOpcode.OptionAck, oack.Opcode, what);
            Assert.AreEqual(1, oack.OptionNames.Length, what);
            Assert.AreEqual(cases[i][1], oack.Option(cases[i][0]), what);
        }
    }

    [TestMethod]
    public void AGrantedTimeoutIsTheSessionsWaitBeforeItRetransmits()
    {
        TftpReadSession session = Session("timeout", "5", 10);
        session.Start(0);
        Assert.AreEqual("5", Parsed(session.Poll(0)).Option("timeout"));
        Assert.AreEqual(5000L, session.NextDeadline);
        Assert.IsNull(session.Poll(4999));
        Assert.AreEqual(TftpOpcode.OptionAck, Parsed(session.Poll(5000)).Opcode);
        Assert.AreEqual(1, session.Retransmissions);
    }

    [TestMethod]
    public void TheNextDeadlineIsNowWhileSomethingWaitsToBeHandedOut()
    {
        TftpReadSession withOptions = Session("blksize", "1024", 10);
        withOptions.Start(0);
        Assert.AreEqual(long.MinValue, withOptions.NextDeadline, "the OACK is queued");
        withOptions.Poll(0);
        Assert.AreEqual(1000L, withOptions.NextDeadline);

        TftpReadSession plain = Plain(new MemoryFileSource(Bytes.Filled(2000, 1)));
        plain.Start(0);
        Assert.AreEqual(long.MinValue, plain.NextDeadline, "block 1 is scheduled, not yet read");
        plain.Poll(0);
        Assert.AreEqual(1000L, plain.NextDeadline);
    }

    [TestMethod]
    public void AWindowIsHandedOutWholeBeforeTheTimerResendsItAndTheTimerFiresOnTheDot()
    {
        TftpReadSession session = Session("windowsize", "3", 10);
        session.Start(0);
        session.Poll(0);
        Send(session, TftpPacketWriter.Ack(0), 10);
        Assert.AreEqual(1, Parsed(session.Poll(10)).Block);

        // The host comes back late, at the timer: the rest of the window first, no retransmission.
        Assert.AreEqual(2, Parsed(session.Poll(1010)).Block);
        Assert.AreEqual(3, Parsed(session.Poll(1010)).Block);
        Assert.AreEqual(0, session.Retransmissions);

        // Now nothing is pending and the timer is due: the window again from block 1.
        Assert.AreEqual(1, Parsed(session.Poll(1010)).Block);
        Assert.AreEqual(1, session.Retransmissions);
    }

    [TestMethod]
    public void AClientErrorEndsTheSessionWithoutAnAnswer()
    {
        TftpReadSession session = Session("blksize", "1024", 10);
        session.Start(0);
        session.Poll(0);
        Send(session, TftpPacketWriter.Error(TftpErrorCode.NotDefined, "cancelled"), 10);
        Assert.AreEqual(TftpTransferState.Failed, session.State);
        Assert.AreEqual("client error 0: cancelled", session.ErrorMessage);
        Assert.IsNull(session.Poll(10));
        Assert.AreEqual(Deadline.None, session.NextDeadline);
    }

    [TestMethod]
    public void APacketFromTheClientOtherThanAckOrErrorIsAnsweredWithError4()
    {
        TftpReadSession session = Plain(new MemoryFileSource(Bytes.Filled(2000, 1)));
        session.Start(0);
        session.Poll(0);
        Send(session, TftpPacketWriter.Data(1, new byte[10], 0, 10), 10);
        TftpPacket error = Parsed(session.Poll(10));
        Assert.AreEqual(TftpOpcode.Error, error.Opcode);
        Assert.AreEqual(TftpErrorCode.IllegalOperation, error.ErrorCode);
        Assert.AreEqual("expected ACK", error.ErrorMessage);
        Assert.AreEqual(TftpTransferState.Failed, session.State);
        Assert.AreEqual("client sent Data", session.ErrorMessage);
        Assert.IsNull(session.Poll(10));
    }

    [TestMethod]
    public void AnAckOtherThan0ToTheOptionAckIsIgnored()
    {
        TftpReadSession session = Session("blksize", "1024", 10);
        session.Start(0);
        session.Poll(0);
        Send(session, TftpPacketWriter.Ack(1), 10);
        Assert.IsNull(session.Poll(10));
        Assert.AreEqual(TftpTransferState.Negotiating, session.State);
        Assert.AreEqual(0L, session.BytesSent);

        Send(session, TftpPacketWriter.Ack(0), 20);
        Assert.AreEqual(1, Parsed(session.Poll(20)).Block);
    }

    [TestMethod]
    public void AnAckOfABlockPastTheWindowSentIsIgnored()
    {
        TftpReadSession session = Session("windowsize", "2", 10);
        session.Start(0);
        session.Poll(0);
        Send(session, TftpPacketWriter.Ack(0), 10);
        Assert.AreEqual(1, Parsed(session.Poll(10)).Block);
        Assert.AreEqual(2, Parsed(session.Poll(10)).Block);
        Assert.IsNull(session.Poll(10));

        Send(session, TftpPacketWriter.Ack(3), 20);
        Assert.IsNull(session.Poll(20));
        Assert.AreEqual(0L, session.BytesSent);

        Send(session, TftpPacketWriter.Ack(2), 30);
        Assert.AreEqual(1024L, session.BytesSent);
        Assert.AreEqual(3, Parsed(session.Poll(30)).Block);
    }

    [TestMethod]
    public void BytesSentCountsWhatTheClientHasAcknowledged()
    {
        TftpReadSession session = Plain(new MemoryFileSource(Bytes.Filled(1300, 2)));
        session.Start(0);
        long[] expected = new long[] { 512, 1024, 1300 };
        for (int block = 1; block <= 3; block++)
        {
            Assert.AreEqual(block, Parsed(session.Poll(block * 10)).Block);
            Send(session, TftpPacketWriter.Ack(block), block * 10);
            Assert.AreEqual(expected[block - 1], session.BytesSent, "after ACK " + block.ToString());
        }

        Assert.AreEqual(TftpTransferState.Completed, session.State);
    }

    [TestMethod]
    public void AFinishedSessionIgnoresWhatTheClientSendsLaterAndHasNothingScheduled()
    {
        TftpReadSession completed = Plain(new MemoryFileSource(Bytes.Filled(100, 3)));
        completed.Start(0);
        completed.Poll(0);
        Send(completed, TftpPacketWriter.Ack(1), 10);
        Assert.AreEqual(TftpTransferState.Completed, completed.State);
        Assert.AreEqual(Deadline.None, completed.NextDeadline);
        Send(completed, TftpPacketWriter.Error(TftpErrorCode.NotDefined, "late"), 20);
        Assert.AreEqual(TftpTransferState.Completed, completed.State);
        Assert.IsNull(completed.ErrorMessage);
        Assert.IsNull(completed.Poll(Deadline.None), "polled at the end of time, still nothing");
        Assert.AreEqual(0, completed.Retransmissions);

        TftpReadSession failed = Plain(new MemoryFileSource(Bytes.Filled(2000, 3)));
        failed.Start(0);
        failed.Poll(0);
        Send(failed, TftpPacketWriter.Error(TftpErrorCode.NotDefined, "cancelled"), 10);
        Send(failed, TftpPacketWriter.Ack(1), 20);
        Assert.IsNull(failed.Poll(20));
        Assert.AreEqual(0L, failed.BytesSent);
        Assert.AreEqual("client error 0: cancelled", failed.ErrorMessage);
        Assert.IsNull(failed.Poll(Deadline.None));
        Assert.AreEqual(0, failed.Retransmissions);
    }

    [TestMethod]
    public void BlocksAreFilledWholeFromAFileWhoseReadsComeBackShort()
    {
        byte[] content = Bytes.Filled(2000, 4);
        ShortReadFileSource file = new ShortReadFileSource(content, content.Length, 100);
        MemorySink sink = new MemorySink();
        TftpReadOptions options = new TftpReadOptions();
        options.RequestTransferSize = false;
        TftpLink link = new TftpLink("boot.img", options, sink, file, new TftpSessionLimits());
        link.Run(60000);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State, link.Client.ErrorMessage ?? string.Empty);
        Assert.AreEqual(content.Length, sink.Length);
        Assert.IsTrue(Bytes.Equal(content, sink.ToArray()), "the received bytes differ from the file");
        Assert.AreEqual(4, link.DataPackets);
        Assert.IsTrue(file.Reads > 4, "the reads came back short");
    }

    [TestMethod]
    public void AFileThatShrankWhileBeingReadEndsTheSessionWithError0()
    {
        // The file said 3000 bytes when the session opened it; it now holds 1000.
        TftpReadSession session = Plain(new ShortReadFileSource(Bytes.Filled(1000, 5), 3000, 100));
        session.Start(0);
        Assert.AreEqual(512, Parsed(session.Poll(0)).DataLength);
        Send(session, TftpPacketWriter.Ack(1), 10);
        TftpPacket error = Parsed(session.Poll(10));
        Assert.AreEqual(TftpOpcode.Error, error.Opcode);
        Assert.AreEqual(TftpErrorCode.NotDefined, error.ErrorCode);
        Assert.AreEqual("file shrank while being read", error.ErrorMessage);
        Assert.AreEqual(TftpTransferState.Failed, session.State);
        Assert.AreEqual("file shrank while being read", session.ErrorMessage);
        Assert.IsNull(session.Poll(10));
    }
}
