using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

/// <summary>
/// The pending-offer limit as a client sees it, with a limit of one or two offers: an offer
/// not taken up by the time the limit is passed is withdrawn (its record goes, its address is not
/// offered again before the scan wraps to it, its client's late REQUEST is still ACKed), one taken
/// up or already dropped is not, a newer offer of the same address is not mistaken for the old
/// one, and a client's repeated DISCOVER a second later takes a new place like a new client's.
/// </summary>
[TestClass]
public class DhcpServerPendingOfferLimitTests
{
    private InMemoryDhcpLeaseStore _store = new InMemoryDhcpLeaseStore();

    private DhcpServer NewServer(int limit)
    {
        DhcpServerConfig config = DhcpServerExchange.Config(5);
        config.PendingOfferLimit = limit;
        _store = new InMemoryDhcpLeaseStore();
        return new DhcpServer(config, _store);
    }

    [TestMethod]
    public void PastTheLimitTheOldestUnclaimedOfferIsWithdrawnYetItsAddressStaysFreeForItsClient()
    {
        DhcpServer server = NewServer(2);
        uint first = DhcpServerExchange.Discover(server, 1, 0);
        DhcpServerExchange.Discover(server, 2, 10);
        Assert.AreEqual(0L, server.WithdrawnOffers, "two offers are within the limit");

        uint third = DhcpServerExchange.Discover(server, 3, 20);

        // The record goes (the bound holds memory), but the address is not offered to the next
        // client, so the first client's late REQUEST still finds it free and is ACKed.
        Assert.AreEqual(1L, server.WithdrawnOffers);
        Assert.AreNotEqual(0u, third);
        Assert.AreNotEqual(first, third, "the withdrawn address was offered again at once");
        Assert.IsNull(_store.FindByClient(DhcpServerExchange.Key(1)), "the withdrawn offer is still in the lease table");
        Assert.AreEqual(DhcpMessageType.Ack, DhcpServerExchange.Select(server, 1, first, 30).MessageType);
    }

    [TestMethod]
    public void AnOfferTakenUpIsNotWithdrawnWhenItFallsOutOfTheLimit()
    {
        DhcpServer server = NewServer(2);
        uint bound = DhcpServerExchange.Discover(server, 1, 0);
        Assert.AreEqual(DhcpMessageType.Ack, DhcpServerExchange.Select(server, 1, bound, 0).MessageType);
        DhcpServerExchange.Discover(server, 2, 10);
        DhcpServerExchange.Discover(server, 3, 20);

        Assert.AreEqual(0L, server.WithdrawnOffers);
        Assert.AreEqual(DhcpLeaseState.Bound, _store.FindByClient(DhcpServerExchange.Key(1))!.State, "the bound lease was withdrawn");
    }

    [TestMethod]
    public void AnOfferAlreadyDroppedFallsOutOfTheLimitWithoutHarm()
    {
        DhcpServer server = NewServer(2);
        uint dropped = DhcpServerExchange.Discover(server, 1, 0);
        DhcpMessage otherServer = DhcpServerExchange.Request(1, DhcpMessageType.Request);
        otherServer.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, DhcpServerExchange.ServerAddress + 1);
        otherServer.Options.SetUInt32(DhcpOptionCode.RequestedAddress, dropped);
        Assert.IsNull(DhcpServerExchange.Handle(server, otherServer, 0));

        DhcpMessage discover = DhcpServerExchange.Request(2, DhcpMessageType.Discover);
        discover.Options.SetUInt32(DhcpOptionCode.RequestedAddress, dropped + 1);
        Assert.AreEqual(dropped + 1, DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, discover, 10)!).YourAddress);

        Assert.AreEqual(dropped, DhcpServerExchange.Discover(server, 3, 20), "the dropped offer's address, now unheld, is offered");
        Assert.AreEqual(0L, server.WithdrawnOffers);
    }

    [TestMethod]
    public void ANewerOfferOfTheSameAddressIsNotWithdrawnForTheOldOne()
    {
        DhcpServer server = NewServer(2);
        uint address = DhcpServerExchange.Discover(server, 1, 0);
        DhcpServerExchange.Release(server, 1, address, 0);
        Assert.AreEqual(address, DhcpServerExchange.Discover(server, 2, 10), "the released address is offered again");

        DhcpServerExchange.Discover(server, 3, 20);

        Assert.AreEqual(0L, server.WithdrawnOffers, "the first offer of the address fell out; the second is another offer");
        Assert.AreEqual(DhcpMessageType.Ack, DhcpServerExchange.Select(server, 2, address, 30).MessageType);
    }

    [TestMethod]
    public void WithALimitOfOneEachUnclaimedOfferIsWithdrawnForTheNext()
    {
        DhcpServer server = NewServer(1);
        DhcpServerExchange.Discover(server, 1, 0);
        DhcpServerExchange.Discover(server, 2, 10);
        Assert.AreEqual(1L, server.WithdrawnOffers);

        uint third = DhcpServerExchange.Discover(server, 3, 20);

        Assert.AreEqual(2L, server.WithdrawnOffers);
        Assert.AreEqual(DhcpMessageType.Ack, DhcpServerExchange.Select(server, 3, third, 30).MessageType, "the newest offer stands");
    }

    [TestMethod]
    public void OnAFullPoolTheOldestUnclaimedOfferIsWithdrawnBeforeTheNewClientsAddressIsChosen()
    {
        DhcpServerConfig config = DhcpServerExchange.Config(2);
        config.PendingOfferLimit = 2;
        DhcpServer server = new DhcpServer(config, _store);
        uint first = DhcpServerExchange.Discover(server, 1, 0);
        DhcpServerExchange.Discover(server, 2, 10);

        // Both addresses are on offer: only the withdrawn one is left for the third client.
        uint third = DhcpServerExchange.Discover(server, 3, 20);

        Assert.AreEqual(first, third, "the third client was not offered the address of the withdrawn offer (" + server.LastDropReason + ")");
        Assert.AreEqual(1L, server.WithdrawnOffers);
    }

    [TestMethod]
    public void ARepeatedDiscoverASecondLaterTakesANewPlaceAndPushesTheOldestUnclaimedOfferOut()
    {
        DhcpServer server = NewServer(2);
        DhcpServerExchange.Discover(server, 1, 0);
        uint second = DhcpServerExchange.Discover(server, 2, 10);

        // Client 2 holds its offer, so it is not a new client; its renewed hold is a new offer.
        Assert.AreEqual(second, DhcpServerExchange.Discover(server, 2, 10 + DhcpServer.RenewOfferAfterMs));

        Assert.AreEqual(1L, server.WithdrawnOffers, "the renewed offer did not push client 1's unclaimed offer out of the limit");
        Assert.IsNull(_store.FindByClient(DhcpServerExchange.Key(1)));
        Assert.AreEqual(DhcpLeaseState.Offered, _store.FindByClient(DhcpServerExchange.Key(2))!.State);

        // The queue still counts two places: the next new client pushes the next one out, and
        // the renewed offer's old entry is no longer client 2's offer.
        DhcpServerExchange.Discover(server, 3, 2000);
        Assert.AreEqual(1L, server.WithdrawnOffers, "client 2's stale entry withdrew its renewed offer");
        DhcpServerExchange.Discover(server, 4, 2010);
        Assert.AreEqual(2L, server.WithdrawnOffers, "the limit no longer holds after the renewal");
        Assert.IsNull(_store.FindByClient(DhcpServerExchange.Key(2)), "client 2's renewed offer, now the oldest, was not withdrawn");
    }

    [TestMethod]
    public void ALimitBelowOneIsRefusedSayingSo()
    {
        DhcpServerConfig config = DhcpServerExchange.Config(5);
        config.PendingOfferLimit = 0;
        string message = AssertThrows.ArgumentMessage(() => new DhcpServer(config, new InMemoryDhcpLeaseStore()));

        Assert.AreEqual("the pending-offer limit must be at least 1", message);
    }
}
