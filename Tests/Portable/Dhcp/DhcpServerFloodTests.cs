using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

/// <summary>
/// A flood of 100,000 DISCOVERs from random MACs (one per simulated millisecond) against the
/// sans-IO server: the lease table stays bounded, and real clients still get and keep leases.
/// </summary>
[TestClass]
public class DhcpServerFloodTests
{
    private const uint ServerAddress = 0x0A000001; // 10.0.0.1
    private const uint PoolStart = 0x0A000064; // 10.0.0.100
    private const int FloodSize = 100000;

    private static readonly byte[] Phone = new byte[] { 0x00, 0x08, 0x5D, 0x00, 0x10, 0x00 };
    private static readonly byte[] LatePhone = new byte[] { 0x00, 0x08, 0x5D, 0x00, 0x10, 0x01 };

    private static DhcpServerConfig Config(int poolSize, int pendingOfferLimit)
    {
        DhcpServerConfig config = new DhcpServerConfig();
        config.ServerAddress = ServerAddress;
        config.PoolStart = PoolStart;
        config.PoolEnd = PoolStart + (uint)poolSize - 1;
        config.SubnetMask = 0xFFFF0000;
        config.LeaseSeconds = 3600;
        config.OfferHoldSeconds = 60;
        config.PendingOfferLimit = pendingOfferLimit;
        config.PhoneConfigString = "id:ipphone.mitel.com;call_srv=10.0.0.1";
        return config;
    }

    private static DhcpDatagram? Send(DhcpServer server, byte[] mac, DhcpMessageType type, uint requested, uint serverId, uint clientAddress, long now)
    {
        DhcpMessage message = new DhcpMessage();
        message.Op = DhcpMessage.BootRequest;
        message.TransactionId = 7;
        message.ClientHardwareAddress = mac;
        message.ClientAddress = clientAddress;
        message.MessageType = type;
        if (requested != 0)
        {
            message.Options.SetUInt32(DhcpOptionCode.RequestedAddress, requested);
        }

        if (serverId != 0)
        {
            message.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, serverId);
        }

        byte[] data = message.Encode();
        return server.Handle(data, 0, data.Length, now);
    }

    private static DhcpMessage? Reply(DhcpDatagram? datagram)
    {
        return datagram == null ? null : DhcpMessage.Parse(datagram.Data, 0, datagram.Data.Length);
    }

    /// <summary>DISCOVER then REQUEST; the bound address, or 0 when there was no offer or no ACK.</summary>
    private static uint Lease(DhcpServer server, byte[] mac, long now)
    {
        DhcpMessage? offer = Reply(Send(server, mac, DhcpMessageType.Discover, 0, 0, 0, now));
        if (offer == null)
        {
            return 0;
        }

        DhcpMessage? ack = Reply(Send(server, mac, DhcpMessageType.Request, offer.YourAddress, ServerAddress, 0, now));
        return ack != null && ack.MessageType == DhcpMessageType.Ack ? ack.YourAddress : 0;
    }

    private static byte[] RandomMac(SeededRandom random)
    {
        uint high = random.NextUInt32();
        uint low = random.NextUInt32();
        return new byte[] { (byte)((high >> 8) & 0xFE), (byte)high, (byte)(low >> 24), (byte)(low >> 16), (byte)(low >> 8), (byte)low };
    }

    [TestMethod]
    public void AFloodTiesUpNoMoreThanThePendingOfferLimitAndRealClientsStillGetLeases()
    {
        const int Limit = 50;
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        DhcpServer server = new DhcpServer(Config(300, Limit), store);
        uint phoneAddress = Lease(server, Phone, 0);
        Assert.AreEqual(PoolStart, phoneAddress);

        SeededRandom random = new SeededRandom(0xF100D);
        int offers = 0;
        int largestTable = 0;
        uint lateAddress = 0;
        for (int i = 1; i <= FloodSize; i++)
        {
            if (Send(server, RandomMac(random), DhcpMessageType.Discover, 0, 0, 0, i) != null)
            {
                offers++;
            }

            if (store.Count > largestTable)
            {
                largestTable = store.Count;
            }

            if (i == FloodSize / 2)
            {
                // In the middle of the flood: a phone already bound renews, a new one gets a lease.
                DhcpMessage? renewed = Reply(Send(server, Phone, DhcpMessageType.Request, 0, 0, phoneAddress, i));
                Assert.IsNotNull(renewed);
                Assert.AreEqual(DhcpMessageType.Ack, renewed!.MessageType);
                Assert.AreEqual(phoneAddress, renewed.YourAddress);
                lateAddress = Lease(server, LatePhone, i);
                Assert.AreNotEqual(0u, lateAddress);
            }
        }

        Assert.AreEqual(FloodSize, offers, "every DISCOVER of the flood was answered");
        Assert.IsTrue(largestTable <= Limit + 2, "the lease table grew to " + largestTable.ToString());
        Assert.AreEqual(FloodSize - Limit, (int)server.WithdrawnOffers);
        Assert.AreEqual(phoneAddress, store.FindByClient(DhcpServer.ClientKey(Phone))!.Address);
        Assert.AreEqual(lateAddress, store.FindByClient(DhcpServer.ClientKey(LatePhone))!.Address);
        Assert.AreEqual(DhcpLeaseState.Bound, store.FindByClient(DhcpServer.ClientKey(LatePhone))!.State);
    }

    [TestMethod]
    public void AFloodThatFillsASmallPoolHoldsItOnlyUntilItsOffersExpire()
    {
        const int PoolSize = 20;
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        DhcpServer server = new DhcpServer(Config(PoolSize, 4096), store);
        uint phoneAddress = Lease(server, Phone, 0);

        SeededRandom random = new SeededRandom(0x5EED);
        int offers = 0;
        int largestTable = 0;
        for (int i = 1; i <= FloodSize; i++)
        {
            if (Send(server, RandomMac(random), DhcpMessageType.Discover, 0, 0, 0, i) != null)
            {
                offers++;
            }

            if (store.Count > largestTable)
            {
                largestTable = store.Count;
            }
        }

        // 100 s of flood against 19 free addresses held 60 s each: two rounds of offers, no more.
        Assert.AreEqual(2 * (PoolSize - 1), offers);
        Assert.AreEqual(PoolSize, largestTable);
        Assert.AreEqual("pool exhausted", server.LastDropReason);

        // The bound phone keeps its lease throughout; the flood's offers lapse and a new phone is served.
        DhcpMessage? renewed = Reply(Send(server, Phone, DhcpMessageType.Request, 0, 0, phoneAddress, FloodSize));
        Assert.AreEqual(DhcpMessageType.Ack, renewed!.MessageType);
        Assert.AreEqual(0u, Lease(server, LatePhone, FloodSize));
        long afterHold = FloodSize + 60000;
        uint late = Lease(server, LatePhone, afterHold);
        Assert.IsTrue(late > PoolStart && late < PoolStart + PoolSize, "late phone got " + late.ToString());
    }
}
