using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Controller.Tftp;
using Protocol.Common;
using Protocol.Tftp;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// Issue 13: a client address and port whose transfer has ended (final ACK received) gets a new
/// transfer for its next request at once; only a retransmission of a live request is absorbed. Real UDP sockets on loopback against <see cref="TftpServer"/>, the
/// client hand-driven (plain RFC 1350, a two-block file) so every datagram is the test's.
/// </summary>
[TestClass]
public sealed class TftpServerRequestsAfterATransferTests
{
    private const int FileLength = 512 + 100;

    [TestMethod]
    public void ARequestAfterTheFinalAckStartsANewTransferAtOnce()
    {
        using Bench bench = new();
        int first = bench.Fetch();
        bench.WaitForCompleted(1);

        bench.SendRequest();
        Reply data = bench.Receive();
        Assert.AreEqual(1, data.Block, "the new request was not answered within the wait (a finished transfer's port is remembered)");
        Assert.AreNotEqual(first, data.Port, "the answer must come from a new transfer ID");
        bench.FinishFrom(data);
        bench.WaitForCompleted(2);
        Assert.AreEqual(0L, bench.Server.DuplicateRequests);
    }

    [TestMethod]
    public void ARequestRightBehindTheFinalAckGetsANewTransferAtTheClientsRetransmission()
    {
        using Bench bench = new();
        Reply data = bench.RequestFirstBlock();
        bench.Ack(data.Port, 1);
        Reply last = bench.Receive();
        Assert.AreEqual(2, last.Block);

        // Back to back: the listener may see the request before the transfer sees the ACK, and
        // absorb it as a repeat of the live request; the client's retransmission is then new.
        bench.Ack(last.Port, 2);
        bench.SendRequest();
        Reply? again = bench.TryReceive(500);
        if (again == null)
        {
            bench.SendRequest();
            again = bench.Receive();
        }

        Assert.AreEqual(1, again.Block);
        Assert.AreNotEqual(last.Port, again.Port);
        bench.FinishFrom(again);
        bench.WaitForCompleted(2);
    }

    [TestMethod]
    public void ARequestBeforeTheFinalAckIsAbsorbed()
    {
        using Bench bench = new();
        Reply data = bench.RequestFirstBlock();
        bench.Ack(data.Port, 1);
        Reply last = bench.Receive();
        Assert.AreEqual(2, last.Block);

        // The transfer still runs (its final ACK has not come): one transfer per client port.
        bench.SendRequest();
        Assert.IsNull(bench.TryReceive(300), "a second transfer ran beside the first for one client port");
        bench.Ack(last.Port, 2);
        bench.WaitForCompleted(1);
        Assert.IsNull(bench.TryReceive(300), "an absorbed request started a transfer after the first ended");
        Assert.AreEqual(1L, bench.Server.DuplicateRequests);

        bench.SendRequest();
        Reply again = bench.Receive();
        Assert.AreEqual(1, again.Block, "the request after the transfer ended was not answered");
        Assert.AreNotEqual(last.Port, again.Port);
        bench.FinishFrom(again);
        bench.WaitForCompleted(2);
    }

    [TestMethod]
    public void ARetransmittedRequestOfALiveTransferIsAbsorbed()
    {
        using Bench bench = new();
        bench.SendRequest();
        bench.SendRequest();
        Reply data = bench.Receive();
        Assert.AreEqual(1, data.Block);

        // Whatever answers the repeat comes from the same transfer, never from a second one.
        Reply? repeat;
        while ((repeat = bench.TryReceive(300)) != null)
        {
            Assert.AreEqual(data.Port, repeat.Port, "a retransmitted request started a second transfer");
        }

        bench.FinishFrom(data);
        bench.WaitForCompleted(1);
        Assert.IsNull(bench.TryReceive(500), "a second transfer answered after the first ended");
        Assert.AreEqual(1L, bench.Server.DuplicateRequests);
        Assert.AreEqual(1L, bench.Server.CompletedTransfers);
    }

    private sealed class Reply
    {
        public int Port { get; init; }

        public int Opcode { get; init; }

        public int Block { get; init; }

        public int Length { get; init; }
    }

    private sealed class Bench : IDisposable
    {
        private readonly TestDirectory _directory = new("tftp-requests-tftp-perf");
        private readonly Socket _client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly byte[] _buffer = new byte[2048];

        public Bench()
        {
            Dictionary<string, byte[]> files = new() { ["two-blocks.bin"] = new byte[FileLength] };
            Server = new TftpServer(new TftpServerOptions { RootDirectory = _directory.Path, BindAddress = IPAddress.Loopback, Port = 0, RetransmitMs = 5000, VirtualFiles = files });
            Server.Start();
            _client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }

        public TftpServer Server { get; }

        public void SendRequest()
        {
            byte[] request = TftpPacketWriter.Request(TftpOpcode.ReadRequest, "two-blocks.bin", "octet", new string[0], new string[0]);
            _client.SendTo(request, new IPEndPoint(IPAddress.Loopback, Server.Port));
        }

        public Reply RequestFirstBlock()
        {
            SendRequest();
            Reply data = Receive();
            Assert.AreEqual(1, data.Block);
            return data;
        }

        /// <summary>One whole transfer; returns its transfer ID (the server's port).</summary>
        public int Fetch()
        {
            Reply data = RequestFirstBlock();
            FinishFrom(data);
            return data.Port;
        }

        /// <summary>Acknowledges block 1 (already received) and the last block.</summary>
        public void FinishFrom(Reply first)
        {
            Ack(first.Port, 1);
            Reply last = Receive();
            Assert.AreEqual(2, last.Block);
            Assert.AreEqual(first.Port, last.Port);
            Assert.AreEqual(4 + FileLength - 512, last.Length);
            Ack(last.Port, 2);
        }

        public void Ack(int port, int block)
        {
            _client.SendTo(TftpPacketWriter.Ack(block), new IPEndPoint(IPAddress.Loopback, port));
        }

        public Reply Receive()
        {
            Reply? reply = TryReceive(1500);
            Assert.IsNotNull(reply, "no answer from the server within 1.5 s");
            Assert.AreEqual((int)TftpOpcode.Data, reply.Opcode, "expected DATA");
            return reply;
        }

        public Reply? TryReceive(int milliseconds)
        {
            if (!_client.Poll(milliseconds * 1000, SelectMode.SelectRead))
            {
                return null;
            }

            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int length = _client.ReceiveFrom(_buffer, ref from);
            return new Reply
            {
                Port = ((IPEndPoint)from).Port,
                Opcode = BigEndian.ReadUInt16(_buffer, 0),
                Block = length >= 4 ? BigEndian.ReadUInt16(_buffer, 2) : -1,
                Length = length,
            };
        }

        public void WaitForCompleted(long count)
        {
            Stopwatch waited = Stopwatch.StartNew();
            while (Server.CompletedTransfers < count && waited.ElapsedMilliseconds < 3000)
            {
                Thread.Sleep(5);
            }

            Assert.AreEqual(count, Server.CompletedTransfers, "transfers completed");
        }

        public void Dispose()
        {
            _client.Dispose();
            Server.Dispose();
            _directory.Dispose();
        }
    }
}
