using Protocol.Common;
using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

/// <summary>
/// The sans-IO DHCP server's lease path at its edges, on a pool of a few addresses: which
/// address a client is offered (held, reserved, requested, the scan from its cursor), expiry at
/// the exact millisecond, what a freed address does to the scan, the fields and options of a
/// reply, and the reasons given for requests left without one.
/// </summary>
[TestClass]
public class DhcpServerLeaseEdgeTests
{
    private InMemoryDhcpLeaseStore _store = new InMemoryDhcpLeaseStore();

    private DhcpServer NewServer(DhcpServerConfig config)
    {
        _store = new InMemoryDhcpLeaseStore();
        return new DhcpServer(config, _store);
    }

    [TestMethod]
    public void ADropReasonIsGivenOnlyForTheRequestLeftWithoutReply()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(3));
        Assert.AreEqual(string.Empty, server.LastDropReason, "before any request");

        Assert.IsNull(server.Handle(new byte[] { 1, 2, 3 }, 0, 3, 0));
        Assert.AreEqual("malformed", server.LastDropReason.Substring(0, 9));

        Assert.AreEqual(DhcpServerExchange.PoolStart, DhcpServerExchange.Discover(server, 1, 0));
        Assert.AreEqual(string.Empty, server.LastDropReason, "after an answered request");

        DhcpMessage decline = DhcpServerExchange.Request(1, DhcpMessageType.Decline);
        decline.Options.SetUInt32(DhcpOptionCode.RequestedAddress, DhcpServerExchange.PoolStart);
        Assert.IsNull(DhcpServerExchange.Handle(server, decline, 0));
        Assert.AreEqual("decline", server.LastDropReason);

        DhcpMessage wrongRenewal = DhcpServerExchange.Request(2, DhcpMessageType.Request);
        Assert.AreEqual(DhcpServerExchange.PoolStart + 1, DhcpServerExchange.Discover(server, 2, 0));
        wrongRenewal.ClientAddress = DhcpServerExchange.PoolStart + 2;
        Assert.AreEqual(DhcpMessageType.Nak, DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, wrongRenewal, 0)!).MessageType);
        Assert.AreEqual(string.Empty, server.LastDropReason, "a NAK is a reply");
    }

    [TestMethod]
    public void APoolThatEndsBeforeItStartsIsRefusedSayingSo()
    {
        DhcpServerConfig config = DhcpServerExchange.Config(3);
        config.PoolEnd = config.PoolStart - 1;
        string message = AssertThrows.ArgumentMessage(() => new DhcpServer(config, new InMemoryDhcpLeaseStore()));

        Assert.AreEqual("the pool ends before it starts", message);
    }

    [TestMethod]
    public void ARenewalOfAnotherAddressIsNakedSayingWhy()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(3));
        uint offered = DhcpServerExchange.Discover(server, 1, 0);
        Assert.AreEqual(DhcpMessageType.Ack, DhcpServerExchange.Select(server, 1, offered, 0).MessageType);

        DhcpMessage renewal = DhcpServerExchange.Request(1, DhcpMessageType.Request);
        renewal.ClientAddress = offered + 1;
        DhcpMessage nak = DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, renewal, 1000)!);

        Assert.AreEqual(DhcpMessageType.Nak, nak.MessageType);
        Assert.AreEqual("lease belongs to another address", DhcpServerExchange.Text(nak.Options.Get(DhcpOptionCode.Message)));
    }

    [TestMethod]
    public void AnInformFromAClientWithoutAnAddressIsAnsweredByBroadcast()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(3));

        DhcpDatagram reply = DhcpServerExchange.Handle(server, DhcpServerExchange.Request(1, DhcpMessageType.Inform), 0)!;

        Assert.AreEqual(Ipv4.Broadcast, reply.Destination);
        Assert.AreEqual(DhcpMessageType.Ack, DhcpServerExchange.Parse(reply).MessageType);
    }

    [TestMethod]
    public void AnOfferCarriesNoClientAddressEvenWhenTheDiscoverHasOne()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(3));
        DhcpMessage discover = DhcpServerExchange.Request(1, DhcpMessageType.Discover);
        discover.ClientAddress = 0x0A000096;

        DhcpMessage offer = DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, discover, 0)!);

        Assert.AreEqual(DhcpMessageType.Offer, offer.MessageType);
        Assert.AreEqual(0u, offer.ClientAddress, "RFC 2131 table 3: ciaddr of a DHCPOFFER is 0");
    }

    [TestMethod]
    public void WithoutDnsServersAReplyCarriesNoDnsOption()
    {
        DhcpServerConfig config = DhcpServerExchange.Config(3);
        config.DnsServers = new uint[0];
        DhcpServer server = NewServer(config);

        DhcpMessage offer = DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, DhcpServerExchange.Request(1, DhcpMessageType.Discover), 0)!);

        Assert.IsFalse(offer.Options.Contains(DhcpOptionCode.DomainNameServer));
    }

    [TestMethod]
    public void AReservedAddressHeldByAnotherClientIsNotOfferedToItsOwner()
    {
        DhcpServerConfig config = DhcpServerExchange.Config(5);
        config.AddReservation(DhcpServerExchange.Key(1), DhcpServerExchange.PoolStart + 2);
        DhcpServer server = NewServer(config);
        _store.Save(DhcpServerExchange.Lease(2, DhcpServerExchange.PoolStart + 2, 3600000, DhcpLeaseState.Bound));

        Assert.AreEqual(0u, DhcpServerExchange.Discover(server, 1, 0));
        Assert.AreEqual("pool exhausted", server.LastDropReason);
    }

    [TestMethod]
    public void AClientIsOfferedTheAddressItHoldsThoughLowerOnesAreFree()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(5));
        _store.Save(DhcpServerExchange.Lease(1, DhcpServerExchange.PoolStart + 2, 3600000, DhcpLeaseState.Bound));

        Assert.AreEqual(DhcpServerExchange.PoolStart + 2, DhcpServerExchange.Discover(server, 1, 0));
        Assert.AreEqual(DhcpLeaseState.Bound, _store.FindByClient(DhcpServerExchange.Key(1))!.State, "a DISCOVER does not undo a live lease");
    }

    [TestMethod]
    public void ABoundLeaseExpiringAtTheDiscoverIsOfferedAfreshNotKeptBound()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(5));
        _store.Save(DhcpServerExchange.Lease(1, DhcpServerExchange.PoolStart + 2, 5000, DhcpLeaseState.Bound));

        Assert.AreEqual(DhcpServerExchange.PoolStart + 2, DhcpServerExchange.Discover(server, 1, 5000));

        DhcpLeaseRecord record = _store.FindByClient(DhcpServerExchange.Key(1))!;
        Assert.AreEqual(DhcpLeaseState.Offered, record.State, "the lease ended at 5000: what is left is an offer");
        Assert.AreEqual(5000 + 60000L, record.ExpiresAt);
    }

    [TestMethod]
    public void AnotherClientsOfferEndsAtItsHoldTimeForAClientRequestingThatAddress()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(5));
        Assert.AreEqual(DhcpServerExchange.PoolStart, DhcpServerExchange.Discover(server, 1, 0));
        Assert.AreEqual(DhcpServerExchange.PoolStart + 1, DhcpServerExchange.Discover(server, 2, 0));

        DhcpMessage discover = DhcpServerExchange.Request(3, DhcpMessageType.Discover);
        discover.Options.SetUInt32(DhcpOptionCode.RequestedAddress, DhcpServerExchange.PoolStart);
        DhcpMessage offer = DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, discover, 60000)!);

        Assert.AreEqual(DhcpServerExchange.PoolStart, offer.YourAddress, "client 1's offer ended at 60000: the requested address is free");
        Assert.AreEqual(DhcpMessageType.Nak, DhcpServerExchange.Select(server, 1, DhcpServerExchange.PoolStart, 60000).MessageType, "client 1's ended offer is gone, not shared");
    }

    [TestMethod]
    public void ARequestedAddressAtTheEndOfThePoolIsOffered()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(3));
        DhcpMessage discover = DhcpServerExchange.Request(1, DhcpMessageType.Discover);
        discover.Options.SetUInt32(DhcpOptionCode.RequestedAddress, DhcpServerExchange.PoolStart + 2);

        Assert.AreEqual(DhcpServerExchange.PoolStart + 2, DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, discover, 0)!).YourAddress);
    }

    [TestMethod]
    public void AClientMovedToItsReservedAddressLeavesItsOldOneToTheNext()
    {
        DhcpServerConfig config = DhcpServerExchange.Config(5);
        config.AddReservation(DhcpServerExchange.Key(1), DhcpServerExchange.PoolStart + 3);
        DhcpServer server = NewServer(config);
        _store.Save(DhcpServerExchange.Lease(1, DhcpServerExchange.PoolStart, 3600000, DhcpLeaseState.Bound));
        Assert.AreEqual(DhcpServerExchange.PoolStart + 1, DhcpServerExchange.Discover(server, 2, 0));

        Assert.AreEqual(DhcpServerExchange.PoolStart + 3, DhcpServerExchange.Discover(server, 1, 0));

        Assert.AreEqual(DhcpServerExchange.PoolStart, DhcpServerExchange.Discover(server, 3, 0), "the address client 1 left is free again");
    }

    [TestMethod]
    public void AReleasedAddressBelowTheScanIsTheNextOffered()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(5));
        for (int client = 1; client <= 3; client++)
        {
            Assert.AreEqual(DhcpServerExchange.PoolStart + (uint)(client - 1), DhcpServerExchange.Discover(server, client, 0));
        }

        DhcpServerExchange.Release(server, 1, DhcpServerExchange.PoolStart, 0);

        Assert.AreEqual(DhcpServerExchange.PoolStart, DhcpServerExchange.Discover(server, 4, 0));
    }

    [TestMethod]
    public void AnAddressFreedAboveWhereTheScanStandsDoesNotMoveItUp()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(5));
        for (int client = 1; client <= 3; client++)
        {
            Assert.AreEqual(DhcpServerExchange.PoolStart + (uint)(client - 1), DhcpServerExchange.Discover(server, client, 0));
        }

        DhcpServerExchange.Release(server, 2, DhcpServerExchange.PoolStart + 1, 0);
        DhcpServerExchange.Release(server, 3, DhcpServerExchange.PoolStart + 2, 0);

        Assert.AreEqual(DhcpServerExchange.PoolStart + 1, DhcpServerExchange.Discover(server, 4, 0), "the lowest free address first");
        Assert.AreEqual(DhcpServerExchange.PoolStart + 2, DhcpServerExchange.Discover(server, 5, 0));
    }

    [TestMethod]
    public void AfterAFullPoolFreesEveryFreedAddressIsOffered()
    {
        DhcpServer server = NewServer(DhcpServerExchange.Config(3));
        for (int client = 1; client <= 3; client++)
        {
            Assert.AreEqual(DhcpServerExchange.PoolStart + (uint)(client - 1), DhcpServerExchange.Discover(server, client, 0));
        }

        Assert.AreEqual(0u, DhcpServerExchange.Discover(server, 4, 1), "the pool is full until 60000");
        DhcpServerExchange.Release(server, 1, DhcpServerExchange.PoolStart, 2);
        DhcpServerExchange.Release(server, 2, DhcpServerExchange.PoolStart + 1, 2);

        Assert.AreEqual(DhcpServerExchange.PoolStart, DhcpServerExchange.Discover(server, 4, 3));
        Assert.AreEqual(DhcpServerExchange.PoolStart + 1, DhcpServerExchange.Discover(server, 5, 3), "the pool is not full any more after the first freed address is taken");
    }
}
