using System;
using Protocol.Common;
using Protocol.Dhcp;

namespace DhcpBench;

/// <summary>Bytes allocated per full DORA exchange, on this thread.</summary>
public sealed class AllocationResult
{
    public int Exchanges { get; init; }

    /// <summary>Inside the phone's <see cref="DhcpClient"/>: Start, Poll, OnReceive, PollEvent (the constructor excluded).</summary>
    public long ClientBytes { get; init; }

    /// <summary>The client's constructor, once per exchange here (the phone builds one per boot).</summary>
    public long ConstructorBytes { get; init; }

    /// <summary>Inside the sans-IO <see cref="DhcpServer.Handle"/> with the in-memory lease store.</summary>
    public long ServerBytes { get; init; }

    public double ClientPerExchange => ClientBytes / (double)Exchanges;

    public double ConstructorPerExchange => ConstructorBytes / (double)Exchanges;

    public double ServerPerExchange => ServerBytes / (double)Exchanges;
}

/// <summary>
/// The phone's DHCP client on the host: <see cref="DhcpClient"/> against the in-process
/// <see cref="DhcpServer"/> over in-memory datagrams (no sockets), one full DISCOVER, OFFER,
/// REQUEST, ACK per client, with <see cref="GC.GetAllocatedBytesForCurrentThread"/> read around
/// each side's calls.
/// </summary>
public static class PhoneAllocation
{
    public static AllocationResult Measure(int exchanges)
    {
        Run(200); // JIT and tiering
        return Run(exchanges);
    }

    private static AllocationResult Run(int exchanges)
    {
        DhcpServerConfig config = new()
        {
            ServerAddress = 0x0A4D0001,
            PoolStart = 0x0A4D0100,
            PoolEnd = 0x0A4DFFFE,
            SubnetMask = 0xFFFF0000,
            Router = 0x0A4D0001,
            PhoneConfigString = IpPhoneConfigString.Format(new IpPhoneConfig
            {
                TftpServers = new[] { IpPhoneConfigString.Endpoint("10.77.0.1", 0) },
                CallServers = new[] { IpPhoneConfigString.Endpoint("10.77.0.1", 6800) },
            }),
        };
        DhcpServer server = new(config, new InMemoryDhcpLeaseStore());
        FixedRandom random = new();
        long client = 0;
        long constructor = 0;
        long serverBytes = 0;
        for (int i = 0; i < exchanges; i++)
        {
            byte[] mac = { 0x00, 0x08, 0x5D, (byte)(i >> 16), (byte)(i >> 8), (byte)i };
            long now = 1_000_000 + i;
            long mark = GC.GetAllocatedBytesForCurrentThread();
            DhcpClient phone = new(mac, random);
            constructor += GC.GetAllocatedBytesForCurrentThread() - mark;

            mark = GC.GetAllocatedBytesForCurrentThread();
            phone.Start(now, 0);
            DhcpDatagram discover = phone.Poll(now)!;
            client += GC.GetAllocatedBytesForCurrentThread() - mark;

            mark = GC.GetAllocatedBytesForCurrentThread();
            DhcpDatagram offer = server.Handle(discover.Data, 0, discover.Data.Length, now)!;
            serverBytes += GC.GetAllocatedBytesForCurrentThread() - mark;

            mark = GC.GetAllocatedBytesForCurrentThread();
            phone.OnReceive(offer.Data, 0, offer.Data.Length, now);
            DhcpDatagram request = phone.Poll(now)!;
            client += GC.GetAllocatedBytesForCurrentThread() - mark;

            mark = GC.GetAllocatedBytesForCurrentThread();
            DhcpDatagram ack = server.Handle(request.Data, 0, request.Data.Length, now)!;
            serverBytes += GC.GetAllocatedBytesForCurrentThread() - mark;

            mark = GC.GetAllocatedBytesForCurrentThread();
            phone.OnReceive(ack.Data, 0, ack.Data.Length, now);
            while (phone.PollEvent() != null)
            {
            }

            client += GC.GetAllocatedBytesForCurrentThread() - mark;
            if (phone.State != DhcpClientState.Bound)
            {
                throw new InvalidOperationException("exchange " + i + " did not bind: " + phone.State + " (server: " + server.LastDropReason + ")");
            }
        }

        return new AllocationResult { Exchanges = exchanges, ClientBytes = client, ConstructorBytes = constructor, ServerBytes = serverBytes };
    }

    // The client draws its xid and jitter here; a fixed sequence keeps the measurement free of Random's own allocations.
    private sealed class FixedRandom : IRandomSource
    {
        private uint _state = 0x2545F491;

        public uint NextUInt32()
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return _state;
        }

        public int Next(int maxExclusive)
        {
            return (int)(NextUInt32() % (uint)maxExclusive);
        }
    }
}
