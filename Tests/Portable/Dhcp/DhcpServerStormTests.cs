using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

/// <summary>
/// Issue 13's boot storm against the sans-IO server: thousands of phones power up at once, so all
/// their DISCOVERs are queued before the first REQUEST comes back, well past the pending-offer
/// limit. Each phone must still be ACKed on its first exchange; one MAC's repeated DISCOVERs must
/// hold one pending-offer place (renewed once a second), not one per DISCOVER.
/// </summary>
[TestClass]
public class DhcpServerStormTests
{
    private const uint ServerAddress = 0x0A000001; // 10.0.0.1
    private const uint PoolStart = 0x0A000100; // 10.0.1.0
    private const int Phones = 10000;

    private static DhcpServerConfig Config(int poolSize)
    {
        DhcpServerConfig config = new DhcpServerConfig();
        config.ServerAddress = ServerAddress;
        config.PoolStart = PoolStart;
        config.PoolEnd = PoolStart + (uint)poolSize - 1;
        config.SubnetMask = 0xFFFF0000;
        config.PhoneConfigString = "id:ipphone.mitel.com;call_srv=10.0.0.1";
        return config;
    }

    private static byte[] Mac(int phone)
    {
        return new byte[] { 0x00, 0x08, 0x5D, 0x10, (byte)(phone >> 8), (byte)phone };
    }

    private static DhcpMessage? Send(DhcpServer server, byte[] mac, DhcpMessageType type, uint requested, long now)
    {
        DhcpMessage message = new DhcpMessage();
        message.Op = DhcpMessage.BootRequest;
        message.TransactionId = 0x5707;
        message.ClientHardwareAddress = mac;
        message.MessageType = type;
        if (type == DhcpMessageType.Request)
        {
            message.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, ServerAddress);
            message.Options.SetUInt32(DhcpOptionCode.RequestedAddress, requested);
        }

        byte[] data = message.Encode();
        DhcpDatagram? reply = server.Handle(data, 0, data.Length, now);
        return reply == null ? null : DhcpMessage.Parse(reply.Data, 0, reply.Data.Length);
    }

    private static uint Offer(DhcpServer server, byte[] mac, long now)
    {
        DhcpMessage? offer = Send(server, mac, DhcpMessageType.Discover, 0, now);
        Assert.IsNotNull(offer, server.LastDropReason);
        Assert.AreEqual(DhcpMessageType.Offer, offer!.MessageType);
        return offer.YourAddress;
    }

    /// <summary>Every phone's REQUEST for its offer; asserts each is ACKed with that address and no address twice.</summary>
    private static void AssertEveryRequestAcked(DhcpServer server, InMemoryDhcpLeaseStore store, uint[] offered, int poolSize, long now)
    {
        bool[] taken = new bool[poolSize];
        int acks = 0;
        int naks = 0;
        for (int phone = 0; phone < offered.Length; phone++)
        {
            DhcpMessage? reply = Send(server, Mac(phone), DhcpMessageType.Request, offered[phone], now);
            Assert.IsNotNull(reply, "phone " + phone.ToString() + ": " + server.LastDropReason);
            if (reply!.MessageType == DhcpMessageType.Nak)
            {
                naks++;
                continue;
            }

            Assert.AreEqual(DhcpMessageType.Ack, reply.MessageType);
            Assert.AreEqual(offered[phone], reply.YourAddress, "phone " + phone.ToString());
            int slot = (int)(reply.YourAddress - PoolStart);
            Assert.IsFalse(taken[slot], "address " + slot.ToString() + " ACKed twice");
            taken[slot] = true;
            acks++;
        }

        Assert.AreEqual(0, naks, "NAKs");
        Assert.AreEqual(offered.Length, acks, "ACKs");
        Assert.AreEqual(offered.Length, store.Count, "one lease per phone, no offer left over");
        for (int phone = 0; phone < offered.Length; phone++)
        {
            DhcpLeaseRecord lease = store.FindByClient(DhcpServer.ClientKey(Mac(phone)))!;
            Assert.AreEqual(DhcpLeaseState.Bound, lease.State);
            Assert.AreEqual(offered[phone], lease.Address);
        }
    }

    [TestMethod]
    public void TenThousandPhonesBootingAtOnceAreEachAckedOnTheirFirstExchange()
    {
        // The pool holds exactly the phones; the pending-offer limit is the default (4,096).
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        DhcpServer server = new DhcpServer(Config(Phones), store);
        uint[] offered = new uint[Phones];
        for (int phone = 0; phone < Phones; phone++)
        {
            offered[phone] = Offer(server, Mac(phone), phone / 10);
        }

        // The oldest offers were withdrawn at the limit, but none of their addresses was offered again.
        Assert.AreEqual(Phones - new DhcpServerConfig().PendingOfferLimit, (int)server.WithdrawnOffers);
        AssertEveryRequestAcked(server, store, offered, Phones, 1000);
    }

    [TestMethod]
    public void AStormWhoseDiscoversAreRepeatedBeforeItsRequestsStillBindsEachPhoneToItsFirstOffer()
    {
        // Each phone's DISCOVER retransmission (4 s) reaches the server before its REQUEST for the
        // first OFFER: a phone whose first offer was withdrawn is offered another address, then asks
        // for the first one. The bench's pool holds several times the storm.
        const int PoolSize = 2 * Phones;
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        DhcpServer server = new DhcpServer(Config(PoolSize), store);
        uint[] offered = new uint[Phones];
        for (int phone = 0; phone < Phones; phone++)
        {
            offered[phone] = Offer(server, Mac(phone), 0);
        }

        for (int phone = 0; phone < Phones; phone++)
        {
            Offer(server, Mac(phone), 4000);
        }

        AssertEveryRequestAcked(server, store, offered, PoolSize, 4001);
    }

    [TestMethod]
    public void AOneMacFloodTakesOnePendingOfferPlaceASecond()
    {
        DhcpServerConfig config = Config(300);
        config.PendingOfferLimit = 50;
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        DhcpServer server = new DhcpServer(config, store);
        byte[] phone = Mac(1);
        byte[] flooder = Mac(2);
        uint phoneOffer = Offer(server, phone, 0);
        uint flooderOffer = Offer(server, flooder, 0);

        // 10,000 DISCOVERs from one MAC in 10 s: the same offer each time, renewed once a second
        // (11 places in all), so the phone's unclaimed offer is not pushed out of the 50.
        for (int i = 1; i <= 10000; i++)
        {
            Assert.AreEqual(flooderOffer, Offer(server, flooder, i));
        }

        Assert.AreEqual(0L, server.WithdrawnOffers, "the flood pushed out other offers");
        DhcpLeaseRecord held = store.FindByClient(DhcpServer.ClientKey(flooder))!;
        Assert.AreEqual(10000L + 60000L, held.ExpiresAt, "the hold is renewed by the DISCOVER a second after the last renewal");
        Assert.AreEqual(phoneOffer, store.FindByClient(DhcpServer.ClientKey(phone))!.Address);
        Assert.AreEqual(DhcpLeaseState.Offered, store.FindByClient(DhcpServer.ClientKey(phone))!.State);
    }

    [TestMethod]
    public void AWithdrawnOfferIsNotOfferedAgainWhileThePoolHasOthersAndItsRequestIsAcked()
    {
        DhcpServerConfig config = Config(10);
        config.PendingOfferLimit = 2;
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        DhcpServer server = new DhcpServer(config, store);
        uint first = Offer(server, Mac(0), 0);
        Offer(server, Mac(1), 0);
        Offer(server, Mac(2), 0);
        Assert.AreEqual(1L, server.WithdrawnOffers);
        Assert.IsNull(store.FindByClient(DhcpServer.ClientKey(Mac(0))), "the oldest offer was withdrawn");

        Assert.AreEqual(PoolStart + 3, Offer(server, Mac(3), 1));
        DhcpMessage? ack = Send(server, Mac(0), DhcpMessageType.Request, first, 2);
        Assert.AreEqual(DhcpMessageType.Ack, ack!.MessageType);
        Assert.AreEqual(first, ack.YourAddress);
    }

    [TestMethod]
    public void ARequestForAFreeAddressIsAckedOnlyWhereTheServerWouldOfferIt()
    {
        DhcpServerConfig config = Config(10);
        byte[] reserved = Mac(7);
        config.AddReservation(DhcpServer.ClientKey(reserved), PoolStart + 9);
        InMemoryDhcpLeaseStore store = new InMemoryDhcpLeaseStore();
        DhcpServer server = new DhcpServer(config, store);

        // No offer at all (lost in a restart): a free pool address is bound.
        Assert.AreEqual(DhcpMessageType.Ack, Send(server, Mac(0), DhcpMessageType.Request, PoolStart + 4, 0)!.MessageType);
        Assert.AreEqual(PoolStart + 4, store.FindByClient(DhcpServer.ClientKey(Mac(0)))!.Address);

        // Held by another client, reserved for another, outside the pool, or not this client's reservation.
        Assert.AreEqual(DhcpMessageType.Nak, Send(server, Mac(1), DhcpMessageType.Request, PoolStart + 4, 0)!.MessageType);
        Assert.AreEqual(DhcpMessageType.Nak, Send(server, Mac(1), DhcpMessageType.Request, PoolStart + 9, 0)!.MessageType);
        Assert.AreEqual(DhcpMessageType.Nak, Send(server, Mac(1), DhcpMessageType.Request, PoolStart + 10, 0)!.MessageType);
        Assert.AreEqual(DhcpMessageType.Nak, Send(server, reserved, DhcpMessageType.Request, PoolStart + 5, 0)!.MessageType);
        Assert.AreEqual(DhcpMessageType.Ack, Send(server, reserved, DhcpMessageType.Request, PoolStart + 9, 0)!.MessageType);

        // A client holding an offer that asks for another free address gets that one; its offer is given up.
        uint offered = Offer(server, Mac(2), 0);
        Assert.AreEqual(DhcpMessageType.Ack, Send(server, Mac(2), DhcpMessageType.Request, offered + 1, 0)!.MessageType);
        Assert.IsNull(store.FindByAddress(offered));
        Assert.AreEqual(offered, Offer(server, Mac(3), 0));
    }
}
