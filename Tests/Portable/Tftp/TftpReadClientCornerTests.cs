using Protocol.Common;
using Protocol.Tftp;
using Tests.Portable.Support;

namespace Tests.Portable.Tftp;

/// <summary>
/// The phone's TFTP client at the edges: the largest sizes it takes, the texts of its refusals,
/// packets that come too late, too short, too long or of the wrong kind, an option refusal
/// that cannot be retried, and the window's gap handling. The server is played by hand from
/// port 3000.
/// </summary>
[TestClass]
public class TftpReadClientCornerTests
{
    private const int Server = 3000;

    private static TftpReadOptions Plain()
    {
        TftpReadOptions options = new TftpReadOptions();
        options.RequestTransferSize = false;
        return options;
    }

    private static TftpReadClient Started(TftpReadOptions options, MemorySink sink)
    {
        TftpReadClient client = new TftpReadClient("f", options, sink);
        client.Start(0);
        Assert.IsNotNull(client.Poll(0), "the request");
        return client;
    }

    private static void Receive(TftpReadClient client, byte[] packet, int port, long now)
    {
        client.OnReceive(packet, 0, packet.Length, port, now);
    }

    private static byte[] Data(int block, int length)
    {
        return TftpPacketWriter.Data(block, Bytes.Filled(length, block), 0, length);
    }

    private static byte[] OptionAck(string name, string value)
    {
        return TftpPacketWriter.OptionAck(new string[] { name }, new string[] { value });
    }

    private static TftpPacket Parsed(TftpDatagram? datagram)
    {
        Assert.IsNotNull(datagram);
        return TftpPacket.Parse(datagram!.Data, 0, datagram.Length);
    }

    private static void AssertAck(int block, TftpDatagram? datagram)
    {
        TftpPacket ack = Parsed(datagram);
        Assert.AreEqual(TftpOpcode.Ack, ack.Opcode);
        Assert.AreEqual(block, ack.Block);
    }

    private static string? ConstructionError(TftpReadOptions options)
    {
        try
        {
            _ = new TftpReadClient("f", options, new MemorySink());
            return null;
        }
        catch (System.ArgumentException e)
        {
            return e.Message;
        }
    }

    [TestMethod]
    public void TheLargestBlockAndWindowSizesAreTakenAndOneMoreIsRefusedNamingTheRange()
    {
        TftpReadOptions options = new TftpReadOptions();
        options.BlockSize = TftpOptionNames.MaximumBlockSize;
        options.WindowSize = TftpOptionNames.MaximumWindowSize;
        Assert.IsNull(ConstructionError(options));

        options.BlockSize = TftpOptionNames.MaximumBlockSize + 1;
        Assert.AreEqual("block size must be 8 to 65464", ConstructionError(options));

        options.BlockSize = 512;
        options.WindowSize = TftpOptionNames.MaximumWindowSize + 1;
        Assert.AreEqual("window size must be 1 to 65535", ConstructionError(options));
    }

    [TestMethod]
    public void UntilTheServerSendsAnErrorItsErrorCodeIsMinus1()
    {
        TftpReadOptions options = Plain();
        options.MaximumRetries = 0;
        TftpReadClient client = Started(options, new MemorySink());
        Assert.AreEqual(-1, client.ServerErrorCode);
        Assert.IsNull(client.Poll(1000));
        Assert.AreEqual(TftpTransferState.Failed, client.State);
        Assert.AreEqual(-1, client.ServerErrorCode, "a time-out is not the server's error");
    }

    [TestMethod]
    public void TheNextDeadlineIsNowWhileSomethingWaitsToBeSent()
    {
        TftpReadClient client = new TftpReadClient("f", Plain(), new MemorySink());
        client.Start(0);
        Assert.AreEqual(long.MinValue, client.NextDeadline, "the request is queued");
        client.Poll(0);
        Assert.AreEqual(1000L, client.NextDeadline);
    }

    [TestMethod]
    public void AFailedTransferIgnoresEveryLaterPacket()
    {
        MemorySink sink = new MemorySink();
        TftpReadClient client = Started(Plain(), sink);
        Receive(client, Data(1, 512), Server, 1);
        AssertAck(1, client.Poll(1));
        Receive(client, TftpPacketWriter.Error(TftpErrorCode.AccessViolation, "stop"), Server, 2);
        Assert.AreEqual(TftpTransferState.Failed, client.State);

        Receive(client, Data(2, 512), Server, 3);
        Receive(client, Data(2, 512), 4000, 3);
        Assert.IsNull(client.Poll(3), "no ACK, and no ERROR 5 to the stranger");
        Assert.AreEqual(512, sink.Length);
    }

    [TestMethod]
    public void TheLastBlockRepeatedAfterCompletionIsAcknowledgedOncePerPollWhateverItsNumber()
    {
        // An empty last block (the file was whole blocks): the repeat is a 4-byte datagram.
        TftpReadClient client = Started(Plain(), new MemorySink());
        Receive(client, Data(1, 512), Server, 1);
        Receive(client, Data(2, 0), Server, 2);
        Assert.AreEqual(TftpTransferState.Completed, client.State);
        AssertAck(2, client.Poll(2));
        Receive(client, Data(2, 0), Server, 3);
        AssertAck(2, client.Poll(3));

        // A last block numbered past 255 (both bytes of the number count), repeated twice
        // before the host polls: one ACK.
        TftpReadOptions options = Plain();
        options.BlockSize = 8;
        TftpLink link = new TftpLink("f", options, new MemorySink(), new MemoryFileSource(Bytes.Filled((8 * 300) + 3, 6)), new TftpSessionLimits());
        link.Run(60000);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State);
        byte[] last = Data(301, 3);
        link.Client.OnReceive(last, 0, last.Length, TftpLink.FirstServerPort, link.Now);
        link.Client.OnReceive(last, 0, last.Length, TftpLink.FirstServerPort, link.Now);
        TftpDatagram? again = link.Client.Poll(link.Now);
        AssertAck(301, again);
        Assert.AreEqual(TftpLink.FirstServerPort, again!.DestinationPort);
        Assert.IsNull(link.Client.Poll(link.Now));
    }

    [TestMethod]
    public void AnError5NamesTheUnknownTransferId()
    {
        TftpReadClient client = Started(Plain(), new MemorySink());
        Receive(client, Data(1, 512), Server, 1);
        client.Poll(1);
        Receive(client, Data(2, 512), 4000, 2);
        TftpDatagram? answer = client.Poll(2);
        TftpPacket error = Parsed(answer);
        Assert.AreEqual(TftpErrorCode.UnknownTransferId, error.ErrorCode);
        Assert.AreEqual("unknown transfer ID", error.ErrorMessage);
        Assert.AreEqual(4000, answer!.DestinationPort);
    }

    [TestMethod]
    public void ATruncatedOrOversizedDataDatagramIsDroppedAsCorrupt()
    {
        MemorySink sink = new MemorySink();
        TftpReadClient client = Started(Plain(), sink);
        Receive(client, Data(1, 512), Server, 1);
        AssertAck(1, client.Poll(1));

        Receive(client, new byte[] { 0, 3 }, Server, 2);
        byte[] oversized = new byte[4 + TftpOptionNames.MaximumBlockSize + 1];
        oversized[1] = (byte)TftpOpcode.Data;
        oversized[3] = 2;
        Receive(client, oversized, Server, 3);

        Assert.IsNull(client.Poll(3));
        Assert.AreEqual(TftpTransferState.Transferring, client.State);
        Assert.AreEqual(512, sink.Length);
        Receive(client, Data(2, 100), Server, 4);
        Assert.AreEqual(TftpTransferState.Completed, client.State);
    }

    [TestMethod]
    public void AnOptionAckToARequestWithoutOptionsIsIgnored()
    {
        MemorySink sink = new MemorySink();
        TftpReadClient client = Started(Plain(), sink);
        Receive(client, new byte[] { 0, (byte)TftpOpcode.OptionAck }, Server, 1);
        Assert.IsNull(client.Poll(1));
        Assert.AreEqual(TftpTransferState.Negotiating, client.State);

        Receive(client, Data(1, 10), Server, 2);
        Assert.AreEqual(TftpTransferState.Completed, client.State);
        Assert.AreEqual(10, sink.Length);
    }

    [TestMethod]
    public void AStaleOptionAckDuringTheTransferIsIgnored()
    {
        TftpReadOptions options = Plain();
        options.BlockSize = 1024;
        TftpReadClient client = Started(options, new MemorySink());
        Receive(client, OptionAck("blksize", "1024"), Server, 1);
        AssertAck(0, client.Poll(1));
        Receive(client, Data(1, 1024), Server, 2);
        AssertAck(1, client.Poll(2));

        Receive(client, OptionAck("blksize", "1024"), Server, 3);
        Assert.IsNull(client.Poll(3));
        Assert.AreEqual(TftpTransferState.Transferring, client.State);
        Assert.AreEqual(1024, client.BlockSize);
    }

    [TestMethod]
    public void AnOptionRefusalIsFinalForARequestWithoutOptionsAndOnceTheTransferRuns()
    {
        TftpReadClient plain = Started(Plain(), new MemorySink());
        Receive(plain, TftpPacketWriter.Error(TftpErrorCode.OptionRefused, "no"), Server, 1);
        Assert.AreEqual(TftpTransferState.Failed, plain.State);
        Assert.AreEqual(8, plain.ServerErrorCode);
        Assert.IsNull(plain.Poll(1), "no second request");

        TftpReadOptions options = Plain();
        options.BlockSize = 1024;
        TftpReadClient running = Started(options, new MemorySink());
        Receive(running, OptionAck("blksize", "1024"), Server, 1);
        running.Poll(1);
        Receive(running, Data(1, 1024), Server, 2);
        running.Poll(2);
        Receive(running, TftpPacketWriter.Error(TftpErrorCode.OptionRefused, "no"), Server, 3);
        Assert.AreEqual(TftpTransferState.Failed, running.State);
        Assert.AreEqual(8, running.ServerErrorCode);
        Assert.IsNull(running.Poll(3), "no second request");
    }

    [TestMethod]
    public void APacketOtherThanDataOptionAckOrErrorFromTheServerIsAnsweredWithError4()
    {
        TftpReadClient client = Started(Plain(), new MemorySink());
        Receive(client, Data(1, 512), Server, 1);
        client.Poll(1);
        Receive(client, TftpPacketWriter.Ack(1), Server, 2);
        Assert.AreEqual(TftpTransferState.Failed, client.State);
        Assert.AreEqual("unexpected Ack in a read transfer", client.ErrorMessage);
        TftpDatagram? answer = client.Poll(2);
        TftpPacket error = Parsed(answer);
        Assert.AreEqual(TftpErrorCode.IllegalOperation, error.ErrorCode);
        Assert.AreEqual("unexpected Ack in a read transfer", error.ErrorMessage);
        Assert.AreEqual(Server, answer!.DestinationPort);
    }

    [TestMethod]
    public void AnOptionRefusalSaysWhichOptionAndValue()
    {
        string[][] cases = new string[][]
        {
            new string[] { "blksize", "2048", "blksize 2048 not acceptable" },
            new string[] { "windowsize", "5", "windowsize 5 not acceptable" },
            new string[] { "tsize", "x", "tsize x not acceptable" },
            new string[] { "tsize", "", "tsize  not acceptable" },
            new string[] { "multicast", "1", "option multicast was not requested" },
        };
        for (int i = 0; i < cases.Length; i++)
        {
            TftpReadOptions options = Plain();
            options.BlockSize = 1024;
            options.WindowSize = 4;
            options.RequestTransferSize = true;
            TftpReadClient client = Started(options, new MemorySink());
            Receive(client, OptionAck(cases[i][0], cases[i][1]), Server, 1);
            Assert.AreEqual(TftpTransferState.Failed, client.State, cases[i][2]);
            Assert.AreEqual(cases[i][2], client.ErrorMessage);
            TftpPacket error = Parsed(client.Poll(1));
            Assert.AreEqual(TftpErrorCode.OptionRefused, error.ErrorCode, cases[i][2]);
            Assert.AreEqual(cases[i][2], error.ErrorMessage);
        }
    }

    [TestMethod]
    public void AnOptionAckGrantingTheEdgesOfWhatWasAskedIsTaken()
    {
        string[][] cases = new string[][]
        {
            new string[] { "windowsize", "1" },
            new string[] { "tsize", "1000000" },
            new string[] { "tsize", "999999999999999999" }, // 18 digits, the longest size read
        };
        long[] maximumFileSizes = new long[] { 1000000, 1000000, long.MaxValue };
        for (int i = 0; i < cases.Length; i++)
        {
            string what = cases[i][0] + " " + cases[i][1];
            TftpReadOptions options = Plain();
            options.WindowSize = 4;
            options.RequestTransferSize = true;
            options.MaximumFileSize = maximumFileSizes[i];
            TftpReadClient client = Started(options, new MemorySink());
            Receive(client, OptionAck(cases[i][0], cases[i][1]), Server, 1);
            Assert.AreEqual(TftpTransferState.Transferring, client.State, what + ": " + (client.ErrorMessage ?? string.Empty));
            AssertAck(0, client.Poll(1));
        }
    }

    [TestMethod]
    public void AFileOfTheLargestSizeIsTakenAndOneByteMoreIsRefusedAtOnceWithError3()
    {
        TftpReadOptions options = Plain();
        options.MaximumFileSize = 1000;
        MemorySink whole = new MemorySink();
        TftpLink link = new TftpLink("f", options, whole, new MemoryFileSource(Bytes.Filled(1000, 7)), new TftpSessionLimits());
        link.Run(60000);
        Assert.AreEqual(TftpTransferState.Completed, link.Client.State, link.Client.ErrorMessage ?? string.Empty);
        Assert.AreEqual(1000, whole.Length);

        MemorySink sink = new MemorySink();
        TftpReadClient client = Started(options, sink);
        Receive(client, Data(1, 512), Server, 1);
        client.Poll(1);
        Receive(client, Data(2, 489), Server, 2);
        Assert.AreEqual(TftpTransferState.Failed, client.State);
        Assert.AreEqual("file larger than 1000 bytes", client.ErrorMessage);
        TftpPacket error = Parsed(client.Poll(2));
        Assert.AreEqual(TftpErrorCode.DiskFull, error.ErrorCode);
        Assert.AreEqual("file larger than 1000 bytes", error.ErrorMessage);
        Assert.AreEqual(512, sink.Length);
    }

    [TestMethod]
    public void ABlockLargerThanNegotiatedIsNeitherWrittenNorAcknowledged()
    {
        MemorySink sink = new MemorySink();
        TftpReadClient client = Started(Plain(), sink);
        Receive(client, Data(1, 513), Server, 1);
        Assert.AreEqual(TftpTransferState.Failed, client.State);
        Assert.AreEqual(0, sink.Length);
        TftpPacket error = Parsed(client.Poll(1));
        Assert.AreEqual(TftpErrorCode.IllegalOperation, error.ErrorCode);
        Assert.AreEqual("block larger than the negotiated size", error.ErrorMessage);
        Assert.IsNull(client.Poll(1));
    }

    [TestMethod]
    public void AGapInAWindowIsAcknowledgedOnceAndTheResentWindowIsCountedAfresh()
    {
        TftpReadOptions options = Plain();
        options.WindowSize = 2;
        TftpReadClient client = Started(options, new MemorySink());
        Receive(client, OptionAck("windowsize", "2"), Server, 1);
        AssertAck(0, client.Poll(1));

        // Block 1 lost: block 2 gets the ACK of the last block in order, block 3 nothing more.
        Receive(client, Data(2, 512), Server, 10);
        AssertAck(0, client.Poll(10));
        Receive(client, Data(3, 512), Server, 11);
        Assert.IsNull(client.Poll(11), "one ACK per gap");

        // The server resends the window from block 1: the ACK comes after its second block.
        Receive(client, Data(1, 512), Server, 20);
        Assert.IsNull(client.Poll(20));
        Assert.AreEqual(1020L, client.NextDeadline, "the rest of the window is waited for one retransmission time");
        Receive(client, Data(2, 512), Server, 21);
        AssertAck(2, client.Poll(21));
    }

    [TestMethod]
    public void AnAckRetransmittedOnTimeoutGoesOutOnce()
    {
        TftpReadClient client = Started(Plain(), new MemorySink());
        Receive(client, Data(1, 512), Server, 1);
        AssertAck(1, client.Poll(1));
        Assert.AreEqual(1001L, client.NextDeadline);
        Assert.IsNull(client.Poll(1000));
        AssertAck(1, client.Poll(1001));
        Assert.IsNull(client.Poll(1001), "one ACK per timeout");
        Assert.AreEqual(2001L, client.NextDeadline);
    }

    [TestMethod]
    public void AnUnansweredRequestNeverWaitsLessThanTheRetransmissionTime()
    {
        // A cap on the request's back-off below the base wait: the base wait wins.
        TftpReadOptions options = Plain();
        options.RetransmitMs = 3000;
        options.MaximumRequestRetransmitMs = 1000;
        TftpReadClient client = Started(options, new MemorySink());
        Assert.AreEqual(3000L, client.NextDeadline);
        Assert.IsNotNull(client.Poll(3000), "the request again");
        Assert.AreEqual(6000L, client.NextDeadline);
    }

    [TestMethod]
    public void AFinishedTransferStaysQuietEvenPolledAtTheEndOfTime()
    {
        TftpReadClient completed = Started(Plain(), new MemorySink());
        Receive(completed, Data(1, 10), Server, 1);
        AssertAck(1, completed.Poll(1));
        Assert.AreEqual(Deadline.None, completed.NextDeadline);
        Assert.IsNull(completed.Poll(Deadline.None));

        TftpReadClient failed = Started(Plain(), new MemorySink());
        Receive(failed, TftpPacketWriter.Error(TftpErrorCode.FileNotFound, "no"), Server, 1);
        Assert.IsNull(failed.Poll(Deadline.None));
    }
}
