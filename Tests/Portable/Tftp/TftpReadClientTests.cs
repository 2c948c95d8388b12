using Protocol.Common;
using Protocol.Tftp;
using Tests.Portable.Support;

namespace Tests.Portable.Tftp;

[TestClass]
public class TftpReadClientTests
{
    private const long Minute = 60000;

    private static TftpReadOptions Plain()
    {
        TftpReadOptions options = new TftpReadOptions();
        options.RequestTransferSize = false;
        return options;
    }

    private static TftpReadOptions WithOptions(int blockSize, int windowSize)
    {
        TftpReadOptions options = new TftpReadOptions();
        options.BlockSize = blockSize;
        options.WindowSize = windowSize;
        options.RequestTransferSize = true;
        return options;
    }

    private static TftpPacket ParseRequest(TftpLink link, int index)
    {
        byte[] request = (byte[])link.Requests[index]!;
        return TftpPacket.Parse(request, 0, request.Length);
    }

    private static void AssertReceived(byte[] expected, MemorySink sink)
    {
        Assert.AreEqual(expected.Length, sink.Length);
        Assert.IsTrue(Bytes.Equal(expected, sink.ToArray()), "the received bytes differ from the file");
    }

    [TestMethod]
    public void PlainRfc1350Transfer()
    {
        byte[] content = Bytes.Filled(1500, 9);
        MemorySink sink = new MemorySink();
        TftpLink link = new TftpLink("boot.bin", Plain(), sink, new MemoryFileSource(content), new TftpSessionLimits());
        link.Run(Minute);

        TftpPacket request = ParseRequest(link, 0);
        Assert.AreEqual("boot.bin", request.FileName);
        Assert.AreEqual("octet", request.Mode);
        Assert.AreEqual(0, request.OptionNames.Length);

        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        Assert.AreEqual(1500L, link.Client.BytesReceived);
        Assert.AreEqual(-1L, link.Client.TransferSize);
        Assert.AreEqual(512, link.Client.BlockSize);
        Assert.IsFalse(link.Client.FellBackToPlain);
        Assert.IsNull(link.Client.ErrorMessage);
        AssertReceived(content, sink);
        Assert.AreEqual(3, sink.Writes);

        Assert.AreEqual(TftpTransferState.Completed, link.Session!.State);
        Assert.AreEqual(1500L, link.Session.BytesSent);
        Assert.AreEqual(0, link.Session.Retransmissions);
        Assert.AreEqual(3, link.DataPackets);
        Assert.AreEqual(0L, link.Now);
        Assert.AreEqual(1, link.Requests.Count);
    }

    [TestMethod]
    public void NegotiatesBlockSizeTransferSizeAndWindowSizeThroughOack()
    {
        byte[] content = Bytes.Filled(10000, 1);
        MemorySink sink = new MemorySink();
        TftpLink link = new TftpLink("load.bin", WithOptions(1024, 4), sink, new MemoryFileSource(content), new TftpSessionLimits());
        link.Run(Minute);

        TftpPacket request = ParseRequest(link, 0);
        Assert.AreEqual("1024", request.Option("blksize"));
        Assert.AreEqual("0", request.Option("tsize"));
        Assert.AreEqual("4", request.Option("windowsize"));

        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        Assert.AreEqual(1024, link.Client.BlockSize);
        Assert.AreEqual(4, link.Client.WindowSize);
        Assert.AreEqual(10000L, link.Client.TransferSize);
        Assert.IsFalse(link.Client.FellBackToPlain);
        AssertReceived(content, sink);
        Assert.AreEqual(1024, link.Session!.BlockSize);
        Assert.AreEqual(4, link.Session.WindowSize);
        Assert.AreEqual(10, link.DataPackets);

        // OACK, then 10 DATA; the client answers with ACK 0 and one ACK per window of 4: 4, 8, 10.
        Assert.AreEqual(11, link.ServerPackets);
        Assert.AreEqual(1 + 1 + 3, link.ClientPackets);
    }

    [TestMethod]
    public void TakesTheSmallerValuesTheServerGrants()
    {
        byte[] content = Bytes.Filled(5000, 2);
        MemorySink sink = new MemorySink();
        TftpSessionLimits limits = new TftpSessionLimits();
        limits.MaximumBlockSize = 600;
        limits.MaximumWindowSize = 2;
        TftpLink link = new TftpLink("load.bin", WithOptions(1428, 8), sink, new MemoryFileSource(content), limits);
        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        Assert.AreEqual(600, link.Client.BlockSize);
        Assert.AreEqual(2, link.Client.WindowSize);
        AssertReceived(content, sink);
    }

    [TestMethod]
    public void AServerIgnoringOptionsIsFollowedInPlainMode()
    {
        byte[] content = Bytes.Filled(2000, 3);
        MemorySink sink = new MemorySink();
        TftpLink link = new TftpLink("load.bin", WithOptions(1024, 4), sink, new MemoryFileSource(content), new TftpSessionLimits());
        link.ServerIgnoresOptions = true;
        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        Assert.IsTrue(link.Client.FellBackToPlain);
        Assert.AreEqual(512, link.Client.BlockSize);
        Assert.AreEqual(1, link.Client.WindowSize);
        Assert.AreEqual(-1L, link.Client.TransferSize);
        AssertReceived(content, sink);
        Assert.AreEqual(4, link.DataPackets);
    }

    [TestMethod]
    public void OptionsRefusedWithError8AreAskedForAgainWithout()
    {
        byte[] content = Bytes.Filled(700, 4);
        MemorySink sink = new MemorySink();
        TftpLink link = new TftpLink("load.bin", WithOptions(1024, 4), sink, new MemoryFileSource(content), new TftpSessionLimits());
        link.RefuseOptions = 1;
        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        Assert.AreEqual(2, link.Requests.Count);
        Assert.AreEqual(3, ParseRequest(link, 0).OptionNames.Length);
        Assert.AreEqual(0, ParseRequest(link, 1).OptionNames.Length);
        Assert.AreEqual(512, link.Client.BlockSize);
        Assert.IsFalse(link.Client.FellBackToPlain);
        AssertReceived(content, sink);
        Assert.AreEqual(0, link.Strays.Count);
    }

    [TestMethod]
    public void PacketsFromAnotherPortGetError5AndAreIgnored()
    {
        byte[] content = Bytes.Filled(2000, 5);
        MemorySink sink = new MemorySink();
        TftpLink link = new TftpLink("load.bin", Plain(), sink, new MemoryFileSource(content), new TftpSessionLimits());
        link.Inject = TftpPacketWriter.Data(2, Bytes.Filled(512, 99), 0, 512);
        link.InjectAfter = 0;
        link.InjectPort = 40000;
        link.Run(Minute);

        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        AssertReceived(content, sink);
        Assert.AreEqual(1, link.Strays.Count);
        Assert.AreEqual(40000, (int)link.StrayPorts[0]!);
        byte[] stray = (byte[])link.Strays[0]!;
        TftpPacket error = TftpPacket.Parse(stray, 0, stray.Length);
        Assert.AreEqual(TftpOpcode.Error, error.Opcode);
        Assert.AreEqual(TftpErrorCode.UnknownTransferId, error.ErrorCode);
        Assert.AreEqual(TftpTransferState.Completed, link.Session!.State);
    }

    [TestMethod]
    public void BlockNumbersRollOverPast65535WithEightByteBlocks()
    {
        long length = (65536L * 8) + 100; // 65549 blocks; the last holds 4 bytes
        PatternSink sink = new PatternSink();
        TftpLink link = new TftpLink("big.bin", WithOptions(8, 1), sink, new PatternFileSource(length), new TftpSessionLimits());
        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State, link.Client.ErrorMessage ?? string.Empty);
        Assert.AreEqual(length, sink.Received);
        Assert.AreEqual(-1L, sink.FirstMismatch);
        Assert.AreEqual(length, link.Client.TransferSize);
        Assert.AreEqual(65549, link.DataPackets);
        Assert.AreEqual(TftpTransferState.Completed, link.Session!.State);
        Assert.AreEqual(length, link.Session.BytesSent);
        Assert.AreEqual(0, link.Session.Retransmissions);
    }

    [TestMethod]
    public void BlockNumbersRollOverWithWindowsAndLosses()
    {
        long length = (65536L * 512) + 1500;
        PatternSink sink = new PatternSink();
        TftpReadOptions options = WithOptions(512, 7);
        options.MaximumRetries = 10;
        TftpLink link = new TftpLink("big.bin", options, sink, new PatternFileSource(length), new TftpSessionLimits());
        link.LoseAtRandom(77, 1);
        link.Run(1000 * Minute);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State, link.Client.ErrorMessage ?? string.Empty);
        Assert.AreEqual(length, sink.Received);
        Assert.AreEqual(-1L, sink.FirstMismatch);
        Assert.IsTrue(link.Session!.Retransmissions > 0, "the 1 % loss should have cost retransmissions");
        Assert.IsTrue(link.DataPackets > 65540);
    }

    [TestMethod]
    public void LostPacketsAreRecoveredByTimeouts()
    {
        byte[] content = Bytes.Filled(3000, 6);
        MemorySink sink = new MemorySink();
        TftpReadOptions options = WithOptions(512, 1);
        TftpLink link = new TftpLink("load.bin", options, sink, new MemoryFileSource(content), new TftpSessionLimits());
        link.DropClientPacket(0); // the request at 0 s
        link.DropServerPacket(0); // the OACK of the request repeated at 1 s
        link.DropClientPacket(2); // ACK 0 for the session's own OACK repeat at 2 s (the request backs off: its next repeat was due at 3 s)
        link.DropServerPacket(3); // DATA 2
        link.DropClientPacket(5); // ACK 1 repeated by the client's timer
        link.DropClientPacket(7); // ACK 3
        link.Run(Minute);

        Assert.AreEqual(TftpTransferState.Completed, link.Client.State, link.Client.ErrorMessage ?? string.Empty);
        AssertReceived(content, sink);
        Assert.AreEqual(2, link.Requests.Count);
        Assert.AreEqual(1, link.SessionCount);
        Assert.AreEqual(TftpTransferState.Completed, link.Session!.State);
        Assert.IsTrue(link.Session.Retransmissions >= 2, link.Session.Retransmissions.ToString());

        // Window 1: after the OACK, each retransmission by the session is one DATA.
        Assert.AreEqual(6 + link.Session.Retransmissions - 1, link.DataPackets);
    }

    [TestMethod]
    public void AnOackRetransmittedAfterALostAck0IsAnsweredAgain()
    {
        byte[] content = Bytes.Filled(600, 6);
        MemorySink sink = new MemorySink();
        TftpReadOptions options = WithOptions(1024, 1);
        options.RetransmitMs = 5000; // the server's 1 s timer fires first
        TftpLink link = new TftpLink("load.bin", options, sink, new MemoryFileSource(content), new TftpSessionLimits());
        link.DropClientPacket(1); // ACK 0
        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        Assert.AreEqual(TftpTransferState.Completed, link.Session!.State);
        Assert.AreEqual(1, link.Session.Retransmissions);
        AssertReceived(content, sink);
    }

    [TestMethod]
    public void DuplicateAcksDoNotMakeTheServerResend()
    {
        byte[] content = Bytes.Filled(5000, 7);
        MemorySink sink = new MemorySink();
        TftpLink link = new TftpLink("load.bin", Plain(), sink, new MemoryFileSource(content), new TftpSessionLimits());
        link.DuplicateClientPackets = true;
        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        AssertReceived(content, sink);
        Assert.AreEqual(10, link.DataPackets);
        Assert.AreEqual(0, link.Session!.Retransmissions);
    }

    [TestMethod]
    public void ADuplicateAckIsAnsweredWithNothing()
    {
        byte[] request = TftpPacketWriter.Request(TftpOpcode.ReadRequest, "f", "octet", new string[0], new string[0]);
        TftpReadSession session = new TftpReadSession(TftpPacket.Parse(request, 0, request.Length), new MemoryFileSource(Bytes.Filled(2000, 1)), new TftpSessionLimits());
        session.Start(0);
        TftpDatagram first = session.Poll(0)!;
        Assert.AreEqual(1, TftpPacket.Parse(first.Data, 0, first.Length).Block);
        Assert.IsNull(session.Poll(0));

        byte[] ack1 = TftpPacketWriter.Ack(1);
        session.OnReceive(ack1, 0, ack1.Length, 10);
        TftpDatagram second = session.Poll(10)!;
        Assert.AreEqual(2, TftpPacket.Parse(second.Data, 0, second.Length).Block);
        session.OnReceive(ack1, 0, ack1.Length, 20);
        Assert.IsNull(session.Poll(20));
        Assert.AreEqual(1010L, session.NextDeadline);
    }

    [TestMethod]
    public void AFileOfWholeBlocksEndsWithAnEmptyBlock()
    {
        byte[] content = Bytes.Filled(1024, 8);
        MemorySink sink = new MemorySink();
        TftpLink link = new TftpLink("load.bin", Plain(), sink, new MemoryFileSource(content), new TftpSessionLimits());
        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        Assert.AreEqual(3, link.DataPackets);
        AssertReceived(content, sink);

        MemorySink emptySink = new MemorySink();
        TftpLink empty = new TftpLink("empty.bin", WithOptions(8, 4), emptySink, new MemoryFileSource(new byte[0]), new TftpSessionLimits());
        empty.Run(Minute);
        Assert.AreEqual(TftpTransferState.Completed, empty.Client.State);
        Assert.AreEqual(0L, empty.Client.TransferSize);
        Assert.AreEqual(1, empty.DataPackets);
        Assert.AreEqual(0, emptySink.Length);
    }

    [TestMethod]
    public void GivesUpAfterTheRetryLimit()
    {
        TftpReadOptions options = Plain();
        options.MaximumRetries = 3;
        options.RetransmitMs = 2000;
        TftpLink link = new TftpLink("load.bin", options, new MemorySink(), new MemoryFileSource(new byte[10]), new TftpSessionLimits());
        link.ServerSilent = true;
        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Failed, link.Client.State);
        Assert.AreEqual("timed out after 3 retries", link.Client.ErrorMessage);
        Assert.AreEqual(4, link.Requests.Count);
        Assert.AreEqual(2000L + 4000L + 8000L + 8000L, link.Now); // the unanswered request backs off to 8 s
        Assert.AreEqual(Deadline.None, link.Client.NextDeadline);
    }

    [TestMethod]
    public void AnUnansweredRequestIsRetransmittedAfterDoublingWaitsUpToItsCap()
    {
        TftpReadOptions options = Plain();
        options.RetransmitMs = 1000;
        options.MaximumRequestRetransmitMs = 8000;
        options.MaximumRetries = 5;
        TftpReadClient client = new TftpReadClient("load.bin", options, new MemorySink());
        client.Start(0);
        Assert.IsNotNull(client.Poll(0));
        long[] expected = new long[] { 1000, 3000, 7000, 15000, 23000 };
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], client.NextDeadline);
            Assert.IsNull(client.Poll(expected[i] - 1), "nothing before the wait is over");
            Assert.IsNotNull(client.Poll(expected[i]), "the request again at " + expected[i].ToString());
        }

        Assert.AreEqual(31000L, client.NextDeadline);
        client.Poll(31000);
        Assert.AreEqual(TftpTransferState.Failed, client.State);
    }

    [TestMethod]
    public void TheSessionGivesUpOnASilentClient()
    {
        TftpSessionLimits limits = new TftpSessionLimits();
        limits.MaximumRetries = 4;
        TftpLink link = new TftpLink("load.bin", Plain(), new MemorySink(), new MemoryFileSource(Bytes.Filled(3000, 1)), limits);
        for (int i = 1; i < 100; i++)
        {
            link.DropClientPacket(i); // only the request gets through
        }

        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Failed, link.Session!.State);
        Assert.AreEqual("client stopped answering", link.Session.ErrorMessage);
        Assert.AreEqual(4, link.Session.Retransmissions);
        Assert.AreEqual(TftpTransferState.Failed, link.Client.State);
    }

    [TestMethod]
    public void AServerErrorFailsTheTransfer()
    {
        TftpReadClient client = new TftpReadClient("missing.bin", Plain(), new MemorySink());
        client.Start(0);
        Assert.IsNotNull(client.Poll(0));
        byte[] error = TftpPacketWriter.Error(TftpErrorCode.FileNotFound, "no such file");
        client.OnReceive(error, 0, error.Length, 1234, 5);
        Assert.AreEqual(TftpTransferState.Failed, client.State);
        Assert.AreEqual("server error 1: no such file", client.ErrorMessage);
        Assert.IsNull(client.Poll(100000));
    }

    [TestMethod]
    public void RefusesAnOackGrantingMoreThanAsked()
    {
        string[][] refused = new string[][]
        {
            new string[] { "blksize", "2048" },
            new string[] { "blksize", "7" },
            new string[] { "windowsize", "5" },
            new string[] { "tsize", "999999999999" },
            new string[] { "tsize", "x" },
            new string[] { "multicast", "1" },
            new string[] { "timeout", "0" },
        };
        for (int i = 0; i < refused.Length; i++)
        {
            TftpReadOptions options = WithOptions(1024, 4);
            options.MaximumFileSize = 1000000;
            TftpReadClient client = new TftpReadClient("f", options, new MemorySink());
            client.Start(0);
            client.Poll(0);
            byte[] oack = TftpPacketWriter.OptionAck(new string[] { refused[i][0] }, new string[] { refused[i][1] });
            client.OnReceive(oack, 0, oack.Length, 3000, 1);
            Assert.AreEqual(TftpTransferState.Failed, client.State, refused[i][0]);
            TftpDatagram answer = client.Poll(1)!;
            Assert.AreEqual(3000, answer.DestinationPort);
            TftpPacket error = TftpPacket.Parse(answer.Data, 0, answer.Length);
            Assert.AreEqual(TftpErrorCode.OptionRefused, error.ErrorCode, refused[i][0]);
        }
    }

    [TestMethod]
    public void RefusesOptionsItDidNotAskFor()
    {
        TftpReadOptions options = WithOptions(1024, 1);
        options.RequestTransferSize = false;
        string[] names = new string[] { "tsize", "timeout" };
        for (int i = 0; i < names.Length; i++)
        {
            TftpReadClient client = new TftpReadClient("f", options, new MemorySink());
            client.Start(0);
            client.Poll(0);
            byte[] oack = TftpPacketWriter.OptionAck(new string[] { names[i] }, new string[] { "5" });
            client.OnReceive(oack, 0, oack.Length, 3000, 1);
            Assert.AreEqual(TftpTransferState.Failed, client.State, names[i]);
        }
    }

    [TestMethod]
    public void TheLastBlockRepeatedAfterCompletionIsAcknowledgedAgain()
    {
        TftpReadClient client = new TftpReadClient("f", Plain(), new MemorySink());
        client.Start(0);
        client.Poll(0);
        byte[] last = TftpPacketWriter.Data(1, new byte[10], 0, 10);
        client.OnReceive(last, 0, last.Length, 3000, 1);
        Assert.AreEqual(TftpTransferState.Completed, client.State);
        Assert.AreEqual(1, TftpPacket.Parse(client.Poll(1)!.Data, 0, 4).Block);
        Assert.IsNull(client.Poll(2));

        client.OnReceive(last, 0, last.Length, 3000, 3);
        TftpDatagram again = client.Poll(3)!;
        Assert.AreEqual(TftpOpcode.Ack, TftpPacket.Parse(again.Data, 0, again.Length).Opcode);
        Assert.AreEqual(3000, again.DestinationPort);
        client.OnReceive(last, 0, last.Length, 4000, 4);
        Assert.IsNull(client.Poll(4), "a stranger's packet after completion gets nothing");
    }

    [TestMethod]
    public void RefusesABlockLargerThanNegotiatedAndAFileLargerThanAllowed()
    {
        TftpReadClient client = new TftpReadClient("f", Plain(), new MemorySink());
        client.Start(0);
        client.Poll(0);
        byte[] big = TftpPacketWriter.Data(1, new byte[513], 0, 513);
        client.OnReceive(big, 0, big.Length, 3000, 1);
        Assert.AreEqual(TftpTransferState.Failed, client.State);
        TftpDatagram answer = client.Poll(1)!;
        Assert.AreEqual(TftpErrorCode.IllegalOperation, TftpPacket.Parse(answer.Data, 0, answer.Length).ErrorCode);

        TftpReadOptions options = Plain();
        options.MaximumFileSize = 1000;
        MemorySink sink = new MemorySink();
        TftpLink link = new TftpLink("f", options, sink, new MemoryFileSource(new byte[1025]), new TftpSessionLimits());
        link.Run(Minute);
        Assert.AreEqual(TftpTransferState.Failed, link.Client.State);
        Assert.AreEqual(TftpTransferState.Failed, link.Session!.State);
        Assert.AreEqual(512, sink.Length);
    }

    [TestMethod]
    public void RefusesImpossibleOptions()
    {
        TftpReadOptions options = new TftpReadOptions();
        options.BlockSize = 7;
        AssertThrows.Any(() => new TftpReadClient("f", options, new MemorySink()));
        options.BlockSize = 512;
        options.WindowSize = 0;
        AssertThrows.Any(() => new TftpReadClient("f", options, new MemorySink()));
    }

    [TestMethod]
    public void AnOptionAckWithNoOptionMeansTheDefaults()
    {
        // atftpd with every option turned off answers a request with options so.
        MemorySink sink = new MemorySink();
        TftpReadClient client = new TftpReadClient("f", WithOptions(1468, 4), sink);
        client.Start(0);
        client.Poll(0);
        client.OnReceive(new byte[] { 0, 6 }, 0, 2, 3000, 1);
        TftpDatagram ack = client.Poll(1)!;
        TftpPacket packet = TftpPacket.Parse(ack.Data, 0, ack.Length);
        Assert.AreEqual(TftpOpcode.Ack, packet.Opcode);
        Assert.AreEqual(0, packet.Block);
        Assert.AreEqual(512, client.BlockSize);
        Assert.AreEqual(1, client.WindowSize);
        Assert.AreEqual(-1L, client.TransferSize);

        byte[] last = TftpPacketWriter.Data(1, new byte[100], 0, 100);
        client.OnReceive(last, 0, last.Length, 3000, 2);
        Assert.AreEqual(TftpTransferState.Completed, client.State);
        Assert.AreEqual(100L, sink.Length);
    }
}
