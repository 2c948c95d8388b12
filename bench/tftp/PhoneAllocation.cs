using System;
using System.Net;
using System.Net.Sockets;
using Protocol.Tftp;
using Sha256 = PhoneFirmware.Core.Integrity.Sha256;

namespace TftpBench;

/// <summary>What the phone's side of one transfer allocated, measured on this thread.</summary>
public sealed class AllocationResult
{
    public long Bytes { get; init; }

    public long Blocks { get; init; }

    public int BlockSize { get; init; }

    public int WindowSize { get; init; }

    /// <summary>Allocated inside the protocol core and the phone's hash: <c>OnReceive</c>, <c>Poll</c>, <c>Sha256.Update</c>.</summary>
    public long CoreAllocated { get; init; }

    /// <summary>Allocated by the whole loop on this thread, socket calls included (allocation-free socket API).</summary>
    public long LoopAllocated { get; init; }

    public bool Verified { get; init; }

    public double CorePerBlock => CoreAllocated / (double)Blocks;

    public double LoopPerBlock => LoopAllocated / (double)Blocks;
}

/// <summary>
/// The phone's side on the host: one <see cref="TftpReadClient"/> transfer on one thread, the bytes
/// hashed with the phone's own SHA-256, with <see cref="GC.GetAllocatedBytesForCurrentThread"/>
/// read around it. The socket calls use the allocation-free <see cref="SocketAddress"/> overloads
/// so the loop's figure is the protocol's and not the host's socket layer's. Counted in steady
/// state: from block <see cref="WarmUpBlocks"/> to the end, the final ACK included.
/// </summary>
public static class PhoneAllocation
{
    /// <summary>Blocks received before the count starts (request, OACK, first ACKs, JIT).</summary>
    public const int WarmUpBlocks = 16;

    public static AllocationResult Measure(IPEndPoint server, string file, TftpReadOptions options, long expectedLength, byte[] expectedSha256)
    {
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(server.Address, 0));
        Sink sink = new();
        TftpReadClient client = new(file, options, sink);
        byte[] buffer = new byte[65536];
        SocketAddress from = new(AddressFamily.InterNetwork);
        SocketAddress requestAddress = server.Serialize();
        SocketAddress? transferAddress = null;
        int transferPort = 0;
        long core = 0;
        long loopStart = GC.GetAllocatedBytesForCurrentThread();
        long now = Environment.TickCount64;
        long mark = GC.GetAllocatedBytesForCurrentThread();
        client.Start(now);
        core += GC.GetAllocatedBytesForCurrentThread() - mark;
        long giveUp = now + 60_000;
        long steadyBlocks = 0;
        while (client.State != TftpTransferState.Completed && client.State != TftpTransferState.Failed && now < giveUp)
        {
            now = Environment.TickCount64;
            if (steadyBlocks == 0 && client.BytesReceived >= (long)WarmUpBlocks * client.BlockSize)
            {
                // Steady state from here: the request, the OACK and the first ACKs are behind us.
                steadyBlocks = client.BytesReceived / client.BlockSize;
                core = 0;
                loopStart = GC.GetAllocatedBytesForCurrentThread();
            }

            while (true)
            {
                mark = GC.GetAllocatedBytesForCurrentThread();
                TftpDatagram? datagram = client.Poll(now);
                core += GC.GetAllocatedBytesForCurrentThread() - mark;
                if (datagram == null)
                {
                    break;
                }

                SocketAddress to = requestAddress;
                if (datagram.DestinationPort != 0)
                {
                    if (transferAddress == null || transferPort != datagram.DestinationPort)
                    {
                        transferPort = datagram.DestinationPort;
                        transferAddress = new IPEndPoint(server.Address, transferPort).Serialize();
                    }

                    to = transferAddress;
                }

                socket.SendTo(datagram.Data.AsSpan(0, datagram.Length), SocketFlags.None, to);
            }

            if (client.State == TftpTransferState.Completed || client.State == TftpTransferState.Failed)
            {
                break;
            }

            long wait = Math.Clamp(client.NextDeadline - now, 0, 100);
            if (!socket.Poll((int)wait * 1000, SelectMode.SelectRead))
            {
                continue;
            }

            int length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            int port = (from[2] << 8) | from[3];
            mark = GC.GetAllocatedBytesForCurrentThread();
            client.OnReceive(buffer, 0, length, port, Environment.TickCount64);
            core += GC.GetAllocatedBytesForCurrentThread() - mark;
        }

        long loop = GC.GetAllocatedBytesForCurrentThread() - loopStart;
        byte[] digest = sink.Hash.Finish();
        return new AllocationResult
        {
            Bytes = client.BytesReceived,
            Blocks = (client.BytesReceived / client.BlockSize) + 1 - steadyBlocks,
            BlockSize = client.BlockSize,
            WindowSize = client.WindowSize,
            CoreAllocated = core,
            LoopAllocated = loop,
            Verified = client.State == TftpTransferState.Completed && client.BytesReceived == expectedLength && digest.AsSpan().SequenceEqual(expectedSha256),
        };
    }

    private sealed class Sink : ITftpDataSink
    {
        public Sha256 Hash { get; } = new();

        public void Write(byte[] buffer, int offset, int count)
        {
            Hash.Update(buffer, offset, count);
        }
    }
}
