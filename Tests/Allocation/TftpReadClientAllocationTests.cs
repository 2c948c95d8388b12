using System;
using Protocol.Tftp;
using Tests.Portable.Support;

namespace Tests.Allocation;

/// <summary>
/// Issue 13: the phone's TFTP client allocates nothing per block once a transfer runs. The client
/// and our server's session are wired back to back in memory on this thread, and
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> is read around the client's own calls only
/// (<c>OnReceive</c>, <c>Poll</c>), after the first blocks (JIT, the ACK datagram made once).
/// </summary>
[TestClass]
public sealed class TftpReadClientAllocationTests
{
    private const int WarmUpBlocks = 16;

    [TestMethod]
    public void TheClientAllocatesNothingPerBlockAtWindowOne()
    {
        AssertNoAllocationPerBlock(1468, 1);
    }

    [TestMethod]
    public void TheClientAllocatesNothingPerBlockWithAWindow()
    {
        AssertNoAllocationPerBlock(512, 8);
    }

    [TestMethod]
    public void TheClientAllocatesNothingPerBlockAtThePhonesBlockAndWindowSizes()
    {
        PhoneFirmware.Core.PhoneSettings phone = new();
        Assert.AreEqual(4, phone.TftpWindowSize, "the phone's window changed: check this still measures it");
        AssertNoAllocationPerBlock(phone.TftpBlockSize, phone.TftpWindowSize);
    }

    private static void AssertNoAllocationPerBlock(int blockSize, int windowSize)
    {
        long length = (long)blockSize * 600 + 123;
        PatternSink sink = new();
        TftpReadClient client = new("image.bin", new TftpReadOptions { BlockSize = blockSize, WindowSize = windowSize, RequestTransferSize = true }, sink);
        client.Start(0);
        TftpDatagram request = client.Poll(0)!;
        TftpReadSession session = new(TftpPacket.Parse(request.Data, 0, request.Length), new PatternFileSource(length), new TftpSessionLimits());
        session.Start(0);

        long measured = 0;
        long measuredBlocks = 0;
        long now = 1;
        int rounds = 0;
        while (client.State != TftpTransferState.Completed && client.State != TftpTransferState.Failed && rounds++ < 100_000)
        {
            TftpDatagram? toClient;
            while ((toClient = session.Poll(now)) != null)
            {
                bool steady = client.BytesReceived >= (long)WarmUpBlocks * blockSize;
                long before = GC.GetAllocatedBytesForCurrentThread();
                client.OnReceive(toClient.Data, 0, toClient.Length, 6969, now);
                TftpDatagram? toServer = client.Poll(now);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (steady && client.State == TftpTransferState.Transferring)
                {
                    measured += allocated;
                    measuredBlocks++;
                }

                if (toServer != null)
                {
                    session.OnReceive(toServer.Data, 0, toServer.Length, now);
                }
            }

            now++;
        }

        Assert.AreEqual(TftpTransferState.Completed, client.State, client.ErrorMessage ?? "unfinished");
        Assert.AreEqual(length, sink.Received);
        Assert.AreEqual(-1L, sink.FirstMismatch);
        Assert.AreEqual(windowSize, client.WindowSize);
        Assert.IsTrue(measuredBlocks > 500, "measured only " + measuredBlocks + " blocks");
        Assert.AreEqual(0L, measured, measured / (double)measuredBlocks + " bytes allocated per block over " + measuredBlocks + " blocks");
    }
}
