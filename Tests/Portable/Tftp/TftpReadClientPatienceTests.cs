using System.Collections;
using Protocol.Tftp;
using Tests.Portable.Support;

namespace Tests.Portable.Tftp;

/// <summary>
/// Issue 13: with <see cref="TftpReadOptions.RequestPatienceMs"/> the client waits for a server
/// that leaves its request unanswered or answers "busy" (ERROR 0) — the capped back-off goes on
/// until the patience ends, then the transfer fails saying why; the data phase keeps its own
/// retry count. The client is driven by hand, time passed in.
/// </summary>
[TestClass]
public sealed class TftpReadClientPatienceTests
{
    private const int RequestPort = 69;
    private const int TransferPort = 50123;

    private static TftpReadOptions Patient(long patienceMs)
    {
        TftpReadOptions options = new TftpReadOptions();
        options.RequestTransferSize = false;
        options.RetransmitMs = 1000;
        options.MaximumRequestRetransmitMs = 8000;
        options.MaximumRetries = 5;
        options.RequestPatienceMs = patienceMs;
        return options;
    }

    // Polls at each deadline until the client fails or stops asking; returns the times requests went out.
    private static string Join(long[] times)
    {
        string text = string.Empty;
        for (int i = 0; i < times.Length; i++)
        {
            text += (i == 0 ? string.Empty : " ") + times[i].ToString();
        }

        return text;
    }

    private static long[] RunSilent(TftpReadClient client, long until)
    {
        ArrayList sent = new ArrayList();
        long now = 0;
        while (now <= until && client.State == TftpTransferState.Negotiating)
        {
            TftpDatagram? datagram;
            while ((datagram = client.Poll(now)) != null)
            {
                Assert.AreEqual(0, datagram.DestinationPort, "a request goes to the request port");
                sent.Add(now);
            }

            now = client.NextDeadline;
        }

        long[] times = new long[sent.Count];
        for (int i = 0; i < times.Length; i++)
        {
            times[i] = (long)sent[i]!;
        }

        return times;
    }

    [TestMethod]
    public void AnUnansweredRequestIsRetriedUntilThePatienceEndsNotJustFiveTimes()
    {
        TftpReadClient client = new TftpReadClient("boot.img", Patient(60000), new MemorySink());
        client.Start(0);
        long[] sent = RunSilent(client, 120000);

        Assert.AreEqual("0 1000 3000 7000 15000 23000 31000 39000 47000 55000", Join(sent), "the back-off stays capped at 8 s");
        Assert.AreEqual(TftpTransferState.Failed, client.State);
        Assert.AreEqual("server silent for 60 s, 10 requests", client.ErrorMessage);
    }

    [TestMethod]
    public void ThePatienceEndsAtItsOwnTimeNotOneBackOffLater()
    {
        TftpReadClient client = new TftpReadClient("boot.img", Patient(20000), new MemorySink());
        client.Start(0);
        long[] sent = RunSilent(client, 120000);

        Assert.AreEqual("0 1000 3000 7000 15000", Join(sent));
        Assert.AreEqual("server silent for 20 s, 5 requests", client.ErrorMessage);
    }

    [TestMethod]
    public void TheClientSaysItIsWaitingFromTheFirstRetransmissionUntilTheServerAnswers()
    {
        TftpReadClient client = new TftpReadClient("boot.img", Patient(60000), new MemorySink());
        client.Start(0);
        Assert.IsNotNull(client.Poll(0));
        Assert.IsFalse(client.WaitingForServer, "waiting before the request was due again");
        Assert.IsNotNull(client.Poll(1000));
        Assert.IsTrue(client.WaitingForServer);
        Assert.AreEqual("no answer", client.WaitReason);

        byte[] block = TftpPacketWriter.Data(1, new byte[10], 0, 10);
        client.OnReceive(block, 0, block.Length, TransferPort, 1500);
        Assert.IsFalse(client.WaitingForServer, "still waiting once the server answered");
        Assert.AreEqual(TftpTransferState.Completed, client.State);
    }

    [TestMethod]
    public void ABusyAnswerIsWaitedOutAndTheRequestAskedAgainAfterTheBackOff()
    {
        MemorySink sink = new MemorySink();
        TftpReadClient client = new TftpReadClient("boot.img", Patient(60000), sink);
        client.Start(0);
        Assert.IsNotNull(client.Poll(0));
        byte[] busy = TftpPacketWriter.Error(TftpErrorCode.NotDefined, "server busy: 256 transfers running and 4096 waiting, try again");
        client.OnReceive(busy, 0, busy.Length, RequestPort, 10);

        Assert.AreEqual(TftpTransferState.Negotiating, client.State, "a busy answer ended the transfer");
        Assert.IsTrue(client.WaitingForServer);
        Assert.AreEqual("server error 0: server busy: 256 transfers running and 4096 waiting, try again", client.WaitReason);
        Assert.IsNull(client.Poll(999), "asked again before the back-off");
        TftpDatagram? again = client.Poll(1000);
        Assert.IsNotNull(again, "the request was not asked again");
        Assert.AreEqual(0, again!.DestinationPort);

        byte[] block = TftpPacketWriter.Data(1, new byte[10], 0, 10);
        client.OnReceive(block, 0, block.Length, TransferPort, 1200);
        Assert.AreEqual(TftpTransferState.Completed, client.State);
        Assert.AreEqual(10L, client.BytesReceived);
    }

    [TestMethod]
    public void AServerStillBusyWhenThePatienceEndsFailsTheTransferNamingItsAnswer()
    {
        TftpReadClient client = new TftpReadClient("boot.img", Patient(10000), new MemorySink());
        client.Start(0);
        byte[] busy = TftpPacketWriter.Error(TftpErrorCode.NotDefined, "server busy");
        long now = 0;
        while (client.State == TftpTransferState.Negotiating)
        {
            if (client.Poll(now) != null)
            {
                client.OnReceive(busy, 0, busy.Length, RequestPort, now);
            }

            now = client.NextDeadline;
        }

        Assert.AreEqual("server busy (server error 0: server busy) for 10 s, 4 requests", client.ErrorMessage);
    }

    [TestMethod]
    public void WithoutPatienceAnErrorZeroStillEndsTheTransfer()
    {
        TftpReadClient client = new TftpReadClient("boot.img", Patient(0), new MemorySink());
        client.Start(0);
        client.Poll(0);
        byte[] busy = TftpPacketWriter.Error(TftpErrorCode.NotDefined, "server busy");
        client.OnReceive(busy, 0, busy.Length, RequestPort, 10);
        Assert.AreEqual(TftpTransferState.Failed, client.State);
        Assert.AreEqual(0, client.ServerErrorCode);
    }

    [TestMethod]
    public void AfterALongWaitTheDataPhaseStillGetsItsFiveRetransmissions()
    {
        TftpReadOptions options = Patient(60000);
        options.BlockSize = 1024;
        TftpReadClient client = new TftpReadClient("boot.img", options, new MemorySink());
        client.Start(0);
        RunSilent(client, 39000); // eight requests, unanswered

        byte[] optionAck = TftpPacketWriter.OptionAck(new string[] { TftpOptionNames.BlockSize }, new string[] { "1024" });
        client.OnReceive(optionAck, 0, optionAck.Length, TransferPort, 39500);
        TftpDatagram? ack = client.Poll(39500);
        Assert.IsNotNull(ack, "no ACK 0 for the OACK");
        Assert.AreEqual(TransferPort, ack!.DestinationPort);

        int resent = 0;
        long now = client.NextDeadline;
        while (client.State == TftpTransferState.Transferring)
        {
            if (client.Poll(now) != null)
            {
                resent++;
            }

            now = client.NextDeadline;
        }

        Assert.AreEqual(5, resent, "the request's retransmissions were counted against the data phase");
        Assert.AreEqual("timed out after 5 retries", client.ErrorMessage);
    }
}
