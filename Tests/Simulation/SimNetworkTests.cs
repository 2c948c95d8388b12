using Hal;
using Protocol.Common;

namespace Tests.Simulation;

/// <summary>The harness itself: its faults happen at the configured rates, and streams stay ordered.</summary>
[TestClass]
public sealed class SimNetworkTests
{
    private const uint A = 0x0A000001;
    private const uint B = 0x0A000002;

    [TestMethod]
    public void DatagramsAreLostDuplicatedAndReorderedAtTheConfiguredRates()
    {
        SimRunner runner = new(5, new NetworkConditions { LossRate = 0.10, DuplicateRate = 0.05, ReorderRate = 0.05, MinimumDelayMs = 1, MaximumDelayMs = 10 });
        SimHost a = runner.Network.AddHost("a", new byte[6], A);
        SimHost b = runner.Network.AddHost("b", new byte[6], B);
        IDatagramSocket sender = a.OpenDatagram(1000, false);
        IDatagramSocket receiver = b.OpenDatagram(2000, false);
        const int Count = 20_000;
        int received = 0;
        int outOfOrder = 0;
        int last = -1;
        byte[] buffer = new byte[16];
        for (int i = 0; i < Count; i++)
        {
            byte[] data = new byte[4];
            BigEndian.WriteUInt32(data, 0, (uint)i);
            sender.Send(data, 0, 4, B, 2000);
            runner.RunFor(1);
            while (receiver.Receive(buffer, out uint from, out int port) == 4)
            {
                Assert.AreEqual(A, from);
                Assert.AreEqual(1000, port);
                int n = (int)BigEndian.ReadUInt32(buffer, 0);
                outOfOrder += n < last ? 1 : 0;
                last = n;
                received++;
            }
        }

        runner.RunFor(1_000);
        while (receiver.Receive(buffer, out _, out _) == 4)
        {
            received++;
        }

        double lossRate = (double)runner.Network.DatagramsLost / Count;
        Assert.IsTrue(lossRate > 0.08 && lossRate < 0.12, "loss " + lossRate);
        Assert.AreEqual(Count - runner.Network.DatagramsLost + runner.Network.DatagramsDuplicated, received);
        Assert.IsTrue(runner.Network.DatagramsDuplicated > Count * 0.03, "duplicates " + runner.Network.DatagramsDuplicated);
        Assert.IsTrue(outOfOrder > 0, "nothing arrived out of order");
    }

    [TestMethod]
    public void StreamsDeliverEveryByteInOrderDespiteDelayJitter()
    {
        SimRunner runner = new(9, new NetworkConditions { LossRate = 0.5, MinimumDelayMs = 1, MaximumDelayMs = 50 });
        SimHost a = runner.Network.AddHost("a", new byte[6], A);
        SimHost b = runner.Network.AddHost("b", new byte[6], B);
        SimStreamListener listener = b.Listen(6800);
        IStreamConnection client = a.Connect(B, 6800);
        Assert.IsTrue(runner.RunUntil(() => client.State == StreamState.Connected, 1_000));
        SimStreamConnection? server = listener.Accept();
        Assert.IsNotNull(server);
        for (int i = 0; i < 1000; i++)
        {
            client.Send(new byte[] { (byte)i }, 0, 1);
            runner.RunFor(i % 3);
        }

        runner.RunFor(1_000);
        byte[] buffer = new byte[2000];
        int count = server.Receive(buffer, 0, buffer.Length);
        Assert.AreEqual(1000, count);
        for (int i = 0; i < count; i++)
        {
            Assert.AreEqual((byte)i, buffer[i]);
        }

        client.Close();
        Assert.IsTrue(runner.RunUntil(() => server.State == StreamState.Closed, 1_000));
    }

    [TestMethod]
    public void ConnectingToAPortNobodyListensOnFails()
    {
        SimRunner runner = new(1, NetworkConditions.Perfect);
        SimHost a = runner.Network.AddHost("a", new byte[6], A);
        runner.Network.AddHost("b", new byte[6], B);
        IStreamConnection client = a.Connect(B, 6800);
        Assert.IsTrue(runner.RunUntil(() => client.State == StreamState.Failed, 1_000));
    }

    [TestMethod]
    public void BroadcastReachesEveryOtherHostOnThatPort()
    {
        SimRunner runner = new(1, NetworkConditions.Perfect);
        SimHost a = runner.Network.AddHost("a", new byte[6], 0);
        SimHost b = runner.Network.AddHost("b", new byte[6], B);
        SimHost c = runner.Network.AddHost("c", new byte[6], A);
        IDatagramSocket sender = a.OpenDatagram(68, true);
        IDatagramSocket atB = b.OpenDatagram(67, false);
        IDatagramSocket atC = c.OpenDatagram(67, false);
        sender.Send(new byte[] { 1, 2, 3 }, 0, 3, Ipv4.Broadcast, 67);
        runner.RunFor(100);
        byte[] buffer = new byte[8];
        Assert.AreEqual(3, atB.Receive(buffer, out uint from, out int port));
        Assert.AreEqual(0u, from);
        Assert.AreEqual(68, port);
        Assert.AreEqual(3, atC.Receive(buffer, out _, out _));
        Assert.AreEqual(-1, sender.Receive(buffer, out _, out _));
    }
}
