using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Controller.Tftp;
using Protocol.Common;
using Protocol.Tftp;

namespace Tests.Integration;

/// <summary>
/// Issue 13: past <see cref="TftpServerOptions.MaxConcurrentTransfers"/> a read request waits,
/// unanswered, in the admission queue and starts when a transfer ends (a boot storm is served in
/// turn, not told "busy"); past the queue it is refused; a request that waited past its lifetime is
/// dropped (a client still retransmitting it keeps it alive). Real UDP sockets on loopback, a cap
/// of one transfer, each client hand-driven.
/// </summary>
[TestClass]
public sealed class TftpServerAdmissionQueueTests
{
    private const string FileName = "two-blocks.bin";
    private const int FileLength = 512 + 100;

    [TestMethod]
    public void ARequestPastTheCapWaitsAndStartsWhenTheRunningTransferEnds()
    {
        using TftpServer server = Start(maxQueued: 4, lifetimeMs: 20000);
        using Client first = new(server);
        using Client second = new(server);
        Reply running = first.Request();
        Assert.AreEqual(1, running.Block);

        second.SendRequest();
        second.SendRequest(); // its retransmission while it waits: absorbed, not a second place
        Assert.IsNull(second.TryReceive(400), "a request past the cap was answered (refused or started) instead of waiting");
        Assert.AreEqual(1L, server.QueuedRequests);

        first.Finish(running);
        Reply started = second.Receive();
        Assert.AreEqual((int)TftpOpcode.Data, started.Opcode, "the queued request was not started when the slot came free");
        Assert.AreEqual(1, started.Block);
        second.Finish(started);
        WaitFor(() => server.CompletedTransfers == 2, "both transfers complete");
        Assert.AreEqual(0L, server.RefusedRequests);
        Assert.AreEqual(1L, server.DuplicateRequests);
        Assert.IsNull(second.TryReceive(300), "the absorbed repeat started a second transfer");
    }

    [TestMethod]
    public void PastTheQueueARequestIsRefusedBusy()
    {
        using TftpServer server = Start(maxQueued: 1, lifetimeMs: 20000);
        using Client first = new(server);
        using Client second = new(server);
        using Client third = new(server);
        Reply running = first.Request();
        second.SendRequest();
        Assert.IsNull(second.TryReceive(300), "the first request past the cap should wait in the queue");

        third.SendRequest();
        Reply refusal = third.Receive();
        Assert.AreEqual((int)TftpOpcode.Error, refusal.Opcode, "a request past a full queue must be refused");
        StringAssert.Contains(refusal.Message, "server busy");
        Assert.AreEqual(1L, server.RefusedRequests);

        first.Finish(running);
        Reply started = second.Receive();
        Assert.AreEqual(1, started.Block, "the queued request lost its place to the refused one");
    }

    [TestMethod]
    public void ARequestThatWaitedPastItsLifetimeIsDroppedAndItsNextRequestServed()
    {
        using TftpServer server = Start(maxQueued: 4, lifetimeMs: 200);
        using Client first = new(server);
        using Client second = new(server);
        Reply running = first.Request();
        second.SendRequest();
        Thread.Sleep(500);

        first.Finish(running);
        Assert.IsNull(second.TryReceive(500), "a request that waited past its lifetime was still started");
        WaitFor(() => server.ExpiredRequests == 1, "the expired request counted");

        Reply again = second.Request();
        Assert.AreEqual(1, again.Block, "the client's next request after the expiry was not served");
        second.Finish(again);
        WaitFor(() => server.CompletedTransfers == 2, "both transfers complete");
    }

    [TestMethod]
    public void AQueuedRequestWhoseClientKeepsAskingOutlivesItsLifetimeAndKeepsItsPlace()
    {
        using TftpServer server = Start(maxQueued: 4, lifetimeMs: 1000);
        using Client first = new(server);
        using Client second = new(server);
        Reply running = first.Request();
        second.SendRequest();
        for (int i = 0; i < 8; i++)
        {
            // The waiting client's retransmissions, each well inside the lifetime, together far past it.
            Thread.Sleep(250);
            second.SendRequest();
        }

        first.Finish(running);
        Reply started = second.Receive();
        Assert.AreEqual(1, started.Block, "a request its client was still asking for expired");
        Assert.AreEqual(0L, server.ExpiredRequests);
        second.Finish(started);
        WaitFor(() => server.CompletedTransfers == 2, "both transfers complete");
    }

    private static TftpServer Start(int maxQueued, int lifetimeMs)
    {
        Dictionary<string, byte[]> files = new() { [FileName] = new byte[FileLength] };
        TftpServer server = new(new TftpServerOptions
        {
            RootDirectory = System.IO.Path.GetTempPath(),
            BindAddress = IPAddress.Loopback,
            Port = 0,
            RetransmitMs = 5000,
            MaxConcurrentTransfers = 1,
            MaxQueuedRequests = maxQueued,
            QueuedRequestLifetimeMs = lifetimeMs,
            VirtualFiles = files,
        });
        server.Start();
        return server;
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.IsTrue(DateTime.UtcNow < until, "timed out waiting: " + what);
            Thread.Sleep(10);
        }
    }

    private sealed class Reply
    {
        public int Port { get; init; }

        public int Opcode { get; init; }

        public int Block { get; init; }

        public string Message { get; init; } = string.Empty;
    }

    // One client transfer ID (a socket of its own), plain RFC 1350 without options.
    private sealed class Client : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly byte[] _buffer = new byte[2048];
        private readonly int _serverPort;

        public Client(TftpServer server)
        {
            _serverPort = server.Port;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }

        public void SendRequest()
        {
            byte[] request = TftpPacketWriter.Request(TftpOpcode.ReadRequest, FileName, "octet", new string[0], new string[0]);
            _socket.SendTo(request, new IPEndPoint(IPAddress.Loopback, _serverPort));
        }

        public Reply Request()
        {
            SendRequest();
            Reply data = Receive();
            Assert.AreEqual((int)TftpOpcode.Data, data.Opcode, "expected DATA, got: " + data.Message);
            return data;
        }

        // Acknowledges block 1 (received) and the last block.
        public void Finish(Reply first)
        {
            Ack(first.Port, 1);
            Reply last = Receive();
            Assert.AreEqual(2, last.Block);
            Ack(last.Port, 2);
        }

        public Reply Receive()
        {
            Reply? reply = TryReceive(2000);
            Assert.IsNotNull(reply, "no answer from the server within 2 s");
            return reply;
        }

        public Reply? TryReceive(int milliseconds)
        {
            if (!_socket.Poll(milliseconds * 1000, SelectMode.SelectRead))
            {
                return null;
            }

            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int length = _socket.ReceiveFrom(_buffer, ref from);
            int opcode = BigEndian.ReadUInt16(_buffer, 0);
            return new Reply
            {
                Port = ((IPEndPoint)from).Port,
                Opcode = opcode,
                Block = length >= 4 ? BigEndian.ReadUInt16(_buffer, 2) : -1,
                Message = opcode == (int)TftpOpcode.Error && length > 5 ? Encoding.ASCII.GetString(_buffer, 4, length - 5) : string.Empty,
            };
        }

        public void Dispose()
        {
            _socket.Dispose();
        }

        private void Ack(int port, int block)
        {
            _socket.SendTo(TftpPacketWriter.Ack(block), new IPEndPoint(IPAddress.Loopback, port));
        }
    }
}
