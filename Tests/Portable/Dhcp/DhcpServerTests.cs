using Protocol.Common;
using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

[TestClass]
public class DhcpServerTests
{
    private const uint ServerAddress = 0x0A000001; // 10.0.0.1
    private const uint PoolStart = 0x0A000064; // 10.0.0.100
    private const uint Router = 0x0A0000FE;
    private const uint Dns = 0x0A000035;

    private static readonly byte[] MacA = new byte[] { 0x02, 0, 0, 0, 0, 0x0A };
    private static readonly byte[] MacB = new byte[] { 0x02, 0, 0, 0, 0, 0x0B };
    private static readonly byte[] MacC = new byte[] { 0x02, 0, 0, 0, 0, 0x0C };

    private InMemoryDhcpLeaseStore _store = new InMemoryDhcpLeaseStore();

    private static DhcpServerConfig Config(int poolSize)
    {
        DhcpServerConfig config = new DhcpServerConfig();
        config.ServerAddress = ServerAddress;
        config.PoolStart = PoolStart;
        config.PoolEnd = PoolStart + (uint)poolSize - 1;
        config.SubnetMask = 0xFFFFFF00;
        config.Router = Router;
        config.DnsServers = new uint[] { Dns };
        config.LeaseSeconds = 3600;
        config.PhoneConfigString = "id:ipphone.mitel.com;sw_tftp=10.37.20.11;call_srv=10.37.18.11,10.37.10.11;vlan=1056;l2p=6;dscp=46";
        return config;
    }

    private DhcpServer NewServer(DhcpServerConfig config)
    {
        _store = new InMemoryDhcpLeaseStore();
        return new DhcpServer(config, _store);
    }

    private static DhcpMessage Request(byte[] mac, DhcpMessageType type, uint xid)
    {
        DhcpMessage message = new DhcpMessage();
        message.Op = DhcpMessage.BootRequest;
        message.TransactionId = xid;
        message.ClientHardwareAddress = mac;
        message.MessageType = type;
        return message;
    }

    private static uint Discover(DhcpServer server, byte[] mac, long now)
    {
        DhcpDatagram? reply = DhcpServerExchange.Handle(server, Request(mac, DhcpMessageType.Discover, 1), now);
        if (reply == null)
        {
            return 0;
        }

        DhcpMessage offer = DhcpServerExchange.Parse(reply);
        Assert.AreEqual(DhcpMessageType.Offer, offer.MessageType);
        return offer.YourAddress;
    }

    private static DhcpMessage Select(DhcpServer server, byte[] mac, uint address, uint serverId, long now)
    {
        DhcpMessage request = Request(mac, DhcpMessageType.Request, 2);
        request.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, serverId);
        request.Options.SetUInt32(DhcpOptionCode.RequestedAddress, address);
        DhcpDatagram? reply = DhcpServerExchange.Handle(server, request, now);
        Assert.IsNotNull(reply, server.LastDropReason);
        return DhcpServerExchange.Parse(reply!);
    }

    private static uint Bind(DhcpServer server, byte[] mac, long now)
    {
        uint offered = Discover(server, mac, now);
        DhcpMessage ack = Select(server, mac, offered, ServerAddress, now);
        Assert.AreEqual(DhcpMessageType.Ack, ack.MessageType);
        return ack.YourAddress;
    }

    [TestMethod]
    public void HandsOutThePoolInOrderUntilItIsExhausted()
    {
        DhcpServer server = NewServer(Config(3));
        Assert.AreEqual(PoolStart, Discover(server, MacA, 0));
        Assert.AreEqual(PoolStart + 1, Discover(server, MacB, 0));
        Assert.AreEqual(PoolStart + 2, Discover(server, MacC, 0));
        Assert.AreEqual(0u, Discover(server, new byte[] { 2, 0, 0, 0, 0, 0x0D }, 0));
        Assert.AreEqual("pool exhausted", server.LastDropReason);
    }

    [TestMethod]
    public void SkipsItsOwnAddressInThePool()
    {
        DhcpServerConfig config = Config(3);
        config.ServerAddress = PoolStart;
        DhcpServer server = NewServer(config);
        Assert.AreEqual(PoolStart + 1, Discover(server, MacA, 0));
    }

    [TestMethod]
    public void OfferCarriesLeaseTimesNetworkAndPhoneConfiguration()
    {
        DhcpServer server = NewServer(Config(3));
        DhcpMessage discover = Request(MacA, DhcpMessageType.Discover, 0x1234);
        DhcpDatagram reply = DhcpServerExchange.Handle(server, discover, 0)!;
        Assert.AreEqual(Ipv4.Broadcast, reply.Destination);
        DhcpMessage offer = DhcpServerExchange.Parse(reply);
        Assert.AreEqual(DhcpMessage.BootReply, offer.Op);
        Assert.AreEqual(0x1234u, offer.TransactionId);
        Assert.IsTrue(offer.IsFor(MacA));
        Assert.AreEqual(PoolStart, offer.YourAddress);
        Assert.AreEqual(ServerAddress, offer.NextServerAddress);
        Assert.AreEqual(ServerAddress, offer.Options.GetUInt32(DhcpOptionCode.ServerIdentifier, 0));
        Assert.AreEqual(3600u, offer.Options.GetUInt32(DhcpOptionCode.LeaseTime, 0));
        Assert.AreEqual(1800u, offer.Options.GetUInt32(DhcpOptionCode.RenewalTime, 0));
        Assert.AreEqual(3150u, offer.Options.GetUInt32(DhcpOptionCode.RebindingTime, 0));
        Assert.AreEqual(0xFFFFFF00u, offer.Options.GetUInt32(DhcpOptionCode.SubnetMask, 0));
        Assert.AreEqual(Router, offer.Options.GetAddresses(DhcpOptionCode.Router)[0]);
        Assert.AreEqual(Dns, offer.Options.GetAddresses(DhcpOptionCode.DomainNameServer)[0]);

        string reason;
        IpPhoneConfig? config = PhoneConfigOptions.Find(offer.Options, out reason);
        Assert.IsNotNull(config, reason);
        Assert.AreEqual(125, config!.SourceOption);
        Assert.AreEqual(1, config.SubOption);
        Assert.AreEqual(1056, config.Vlan);
        Assert.AreEqual(2, config.CallServers.Length);
    }

    [TestMethod]
    public void UsesTheConfiguredOption125Encoding()
    {
        DhcpServerConfig config = Config(3);
        config.Option125Encoding = 130;
        DhcpServer server = NewServer(config);
        DhcpMessage offer = DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, Request(MacA, DhcpMessageType.Discover, 1), 0)!);
        string reason;
        Assert.AreEqual(130, PhoneConfigOptions.Find(offer.Options, out reason)!.SubOption);

        config.PhoneConfigString = string.Empty;
        server = NewServer(config);
        offer = DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, Request(MacA, DhcpMessageType.Discover, 1), 0)!);
        Assert.IsFalse(offer.Options.Contains(DhcpOptionCode.VendorIdentifyingVendorSpecific));
    }

    [TestMethod]
    public void TheSameMacGetsTheSameAddress()
    {
        DhcpServer server = NewServer(Config(5));
        Discover(server, MacA, 0);
        uint b = Discover(server, MacB, 0);
        Assert.AreEqual(b, Discover(server, MacB, 1000));

        uint bound = Bind(server, MacB, 2000);
        Assert.AreEqual(b, bound);
        Assert.AreEqual(b, Discover(server, MacB, 3000));

        // Rediscovering does not downgrade the bound lease to a mere offer.
        DhcpLeaseRecord record = _store.FindByClient(DhcpServer.ClientKey(MacB))!;
        Assert.AreEqual(DhcpLeaseState.Bound, record.State);
        Assert.AreEqual(2000 + 3600000L, record.ExpiresAt);
    }

    [TestMethod]
    public void PrefersTheRequestedAddressWhenFree()
    {
        DhcpServer server = NewServer(Config(5));
        DhcpMessage discover = Request(MacA, DhcpMessageType.Discover, 1);
        discover.Options.SetUInt32(DhcpOptionCode.RequestedAddress, PoolStart + 3);
        Assert.AreEqual(PoolStart + 3, DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, discover, 0)!).YourAddress);

        discover = Request(MacB, DhcpMessageType.Discover, 1);
        discover.Options.SetUInt32(DhcpOptionCode.RequestedAddress, PoolStart + 3);
        Assert.AreEqual(PoolStart, DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, discover, 0)!).YourAddress);

        discover = Request(MacC, DhcpMessageType.Discover, 1);
        discover.Options.SetUInt32(DhcpOptionCode.RequestedAddress, 0x0B000001);
        Assert.AreEqual(PoolStart + 1, DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, discover, 0)!).YourAddress);
    }

    [TestMethod]
    public void RequestAfterOfferBindsTheLease()
    {
        DhcpServer server = NewServer(Config(3));
        uint offered = Discover(server, MacA, 0);
        DhcpMessage ack = Select(server, MacA, offered, ServerAddress, 500);
        Assert.AreEqual(DhcpMessageType.Ack, ack.MessageType);
        Assert.AreEqual(offered, ack.YourAddress);
        Assert.AreEqual(3600u, ack.Options.GetUInt32(DhcpOptionCode.LeaseTime, 0));
        DhcpLeaseRecord record = _store.FindByClient("02:00:00:00:00:0a")!;
        Assert.AreEqual(DhcpLeaseState.Bound, record.State);
        Assert.AreEqual(offered, record.Address);
        Assert.AreEqual(500 + 3600000L, record.ExpiresAt);
    }

    [TestMethod]
    public void ARequestForAnotherServerDropsTheOffer()
    {
        DhcpServer server = NewServer(Config(1));
        uint offered = Discover(server, MacA, 0);
        Assert.AreEqual(0u, Discover(server, MacB, 0));

        DhcpMessage request = Request(MacA, DhcpMessageType.Request, 2);
        request.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, 0x0A000002);
        request.Options.SetUInt32(DhcpOptionCode.RequestedAddress, 0x0A000099);
        Assert.IsNull(DhcpServerExchange.Handle(server, request, 10));
        Assert.AreEqual("client chose another server", server.LastDropReason);
        Assert.IsNull(_store.FindByClient(DhcpServer.ClientKey(MacA)));
        Assert.AreEqual(offered, Discover(server, MacB, 20));
    }

    [TestMethod]
    public void ARequestForAnotherServerKeepsABoundLease()
    {
        DhcpServer server = NewServer(Config(1));
        uint bound = Bind(server, MacA, 0);
        DhcpMessage request = Request(MacA, DhcpMessageType.Request, 2);
        request.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, 0x0A000002);
        Assert.IsNull(DhcpServerExchange.Handle(server, request, 10));
        Assert.AreEqual(bound, _store.FindByClient(DhcpServer.ClientKey(MacA))!.Address);
    }

    [TestMethod]
    public void ARequestForAnAddressNotOfferedIsNaked()
    {
        DhcpServer server = NewServer(Config(4));
        uint offered = Discover(server, MacA, 0);
        uint offeredToB = Discover(server, MacB, 0);
        DhcpMessage nak = Select(server, MacA, offeredToB, ServerAddress, 0);
        Assert.AreEqual(DhcpMessageType.Nak, nak.MessageType);
        Assert.AreEqual(0u, nak.YourAddress);
        Assert.AreEqual(ServerAddress, nak.Options.GetUInt32(DhcpOptionCode.ServerIdentifier, 0));
        Assert.AreEqual("no offer of that address to this client", Bytes.Text(nak.Options.Get(DhcpOptionCode.Message)!));
        Assert.AreEqual(offered, _store.FindByClient(DhcpServer.ClientKey(MacA))!.Address);

        // A client with a lease asks for another, free address; and for one outside the pool.
        uint bound = Bind(server, MacC, 0);
        Assert.AreEqual(DhcpMessageType.Nak, Select(server, MacC, PoolStart + 3, ServerAddress, 0).MessageType);
        Assert.AreEqual(bound, _store.FindByClient(DhcpServer.ClientKey(MacC))!.Address);
        Assert.AreEqual(DhcpMessageType.Nak, Select(server, new byte[] { 2, 0, 0, 0, 0, 0x0D }, PoolStart + 4, ServerAddress, 0).MessageType);
    }

    [TestMethod]
    public void InitRebootFromAnUnknownClientGetsNoAnswer()
    {
        DhcpServer server = NewServer(Config(3));
        DhcpMessage request = Request(MacA, DhcpMessageType.Request, 3);
        request.Options.SetUInt32(DhcpOptionCode.RequestedAddress, PoolStart);
        Assert.IsNull(DhcpServerExchange.Handle(server, request, 0));
        Assert.AreEqual("init-reboot from an unknown client", server.LastDropReason);
    }

    [TestMethod]
    public void InitRebootConfirmsTheRightAddressAndNaksAWrongOne()
    {
        DhcpServer server = NewServer(Config(3));
        uint bound = Bind(server, MacA, 0);

        DhcpMessage wrong = Request(MacA, DhcpMessageType.Request, 3);
        wrong.Options.SetUInt32(DhcpOptionCode.RequestedAddress, bound + 1);
        DhcpDatagram reply = DhcpServerExchange.Handle(server, wrong, 100)!;
        Assert.AreEqual(Ipv4.Broadcast, reply.Destination);
        DhcpMessage nak = DhcpServerExchange.Parse(reply);
        Assert.AreEqual(DhcpMessageType.Nak, nak.MessageType);
        Assert.AreEqual(3u, nak.TransactionId);
        Assert.AreEqual("address not valid for this client", Bytes.Text(nak.Options.Get(DhcpOptionCode.Message)!));

        DhcpMessage right = Request(MacA, DhcpMessageType.Request, 4);
        right.Options.SetUInt32(DhcpOptionCode.RequestedAddress, bound);
        DhcpMessage ack = DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, right, 200)!);
        Assert.AreEqual(DhcpMessageType.Ack, ack.MessageType);
        Assert.AreEqual(bound, ack.YourAddress);
        Assert.AreEqual(200 + 3600000L, _store.FindByClient(DhcpServer.ClientKey(MacA))!.ExpiresAt);
    }

    [TestMethod]
    public void RenewalIsAckedToTheClientAddress()
    {
        DhcpServer server = NewServer(Config(3));
        uint bound = Bind(server, MacA, 0);
        DhcpMessage renew = Request(MacA, DhcpMessageType.Request, 5);
        renew.ClientAddress = bound;
        DhcpDatagram reply = DhcpServerExchange.Handle(server, renew, 1800000)!;
        Assert.AreEqual(bound, reply.Destination);
        DhcpMessage ack = DhcpServerExchange.Parse(reply);
        Assert.AreEqual(DhcpMessageType.Ack, ack.MessageType);
        Assert.AreEqual(bound, ack.ClientAddress);
        Assert.AreEqual(bound, ack.YourAddress);
        Assert.AreEqual(1800000 + 3600000L, _store.FindByClient(DhcpServer.ClientKey(MacA))!.ExpiresAt);

        renew.ClientAddress = bound + 1;
        Assert.AreEqual(DhcpMessageType.Nak, DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, renew, 1800001)!).MessageType);

        DhcpMessage stranger = Request(MacB, DhcpMessageType.Request, 6);
        stranger.ClientAddress = PoolStart + 2;
        Assert.IsNull(DhcpServerExchange.Handle(server, stranger, 0));
        Assert.AreEqual("renewal from an unknown client", server.LastDropReason);
    }

    [TestMethod]
    public void ReleaseFreesTheAddress()
    {
        DhcpServer server = NewServer(Config(1));
        uint bound = Bind(server, MacA, 0);
        Assert.AreEqual(0u, Discover(server, MacB, 0));

        DhcpMessage wrongRelease = Request(MacA, DhcpMessageType.Release, 7);
        wrongRelease.ClientAddress = bound + 1;
        Assert.IsNull(DhcpServerExchange.Handle(server, wrongRelease, 0));
        Assert.AreEqual(1, _store.Count);

        DhcpMessage release = Request(MacA, DhcpMessageType.Release, 7);
        release.ClientAddress = bound;
        Assert.IsNull(DhcpServerExchange.Handle(server, release, 0));
        Assert.AreEqual("release", server.LastDropReason);
        Assert.AreEqual(0, _store.Count);
        Assert.AreEqual(bound, Discover(server, MacB, 0));
    }

    [TestMethod]
    public void DeclineHoldsTheAddressBackUntilTheHoldEnds()
    {
        DhcpServerConfig config = Config(2);
        config.DeclineHoldSeconds = 600;
        DhcpServer server = NewServer(config);
        uint bound = Bind(server, MacA, 0);

        DhcpMessage decline = Request(MacA, DhcpMessageType.Decline, 8);
        decline.Options.SetUInt32(DhcpOptionCode.RequestedAddress, bound);
        Assert.IsNull(DhcpServerExchange.Handle(server, decline, 1000));
        DhcpLeaseRecord held = _store.FindByAddress(bound)!;
        Assert.AreEqual(DhcpLeaseState.Declined, held.State);
        Assert.AreEqual("declined:10.0.0.100", held.ClientKey);
        Assert.AreEqual(1000 + 600000L, held.ExpiresAt);

        Assert.AreEqual(bound + 1, Discover(server, MacA, 2000));
        Assert.AreEqual(0u, Discover(server, MacB, 2000));
        Assert.AreEqual(bound, Discover(server, MacB, 1000 + 600000));
    }

    [TestMethod]
    public void ADeclineOfAnAddressTheClientDoesNotHoldIsIgnored()
    {
        DhcpServer server = NewServer(Config(2));
        uint bound = Bind(server, MacA, 0);
        DhcpMessage decline = Request(MacA, DhcpMessageType.Decline, 8);
        decline.Options.SetUInt32(DhcpOptionCode.RequestedAddress, bound + 1);
        DhcpServerExchange.Handle(server, decline, 0);
        Assert.AreEqual(bound, _store.FindByClient(DhcpServer.ClientKey(MacA))!.Address);
        Assert.IsNull(_store.FindByAddress(bound + 1));
    }

    [TestMethod]
    public void AnUnclaimedOfferIsHeldOnlyForTheHoldTime()
    {
        DhcpServerConfig config = Config(1);
        config.OfferHoldSeconds = 60;
        DhcpServer server = NewServer(config);
        uint offered = Discover(server, MacA, 0);
        Assert.AreEqual(0u, Discover(server, MacB, 59999));
        Assert.AreEqual(offered, Discover(server, MacB, 60000));
        Assert.AreEqual(DhcpMessageType.Nak, Select(server, MacA, offered, ServerAddress, 60001).MessageType);
    }

    [TestMethod]
    public void ReservationsGoToTheirClientOnly()
    {
        DhcpServerConfig config = Config(3);
        config.AddReservation(DhcpServer.ClientKey(MacB), 0x0A0000C8); // outside the pool
        config.AddReservation(DhcpServer.ClientKey(MacC), PoolStart); // inside the pool
        Assert.AreEqual(2, config.ReservationCount);
        DhcpServer server = NewServer(config);

        Assert.AreEqual(PoolStart + 1, Discover(server, MacA, 0));
        Assert.AreEqual(0x0A0000C8u, Bind(server, MacB, 0));
        Assert.AreEqual(PoolStart, Discover(server, MacC, 0));

        // INIT-REBOOT on the reserved address outside the pool is confirmed.
        DhcpMessage reboot = Request(MacB, DhcpMessageType.Request, 9);
        reboot.Options.SetUInt32(DhcpOptionCode.RequestedAddress, 0x0A0000C8);
        Assert.AreEqual(DhcpMessageType.Ack, DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, reboot, 10)!).MessageType);

        // Nobody else may ask for a reserved address.
        DhcpMessage other = Request(new byte[] { 2, 0, 0, 0, 0, 0x0D }, DhcpMessageType.Discover, 1);
        other.Options.SetUInt32(DhcpOptionCode.RequestedAddress, PoolStart);
        Assert.AreEqual(PoolStart + 2, DhcpServerExchange.Parse(DhcpServerExchange.Handle(server, other, 0)!).YourAddress);
    }

    [TestMethod]
    public void RepliesGoThroughTheRelay()
    {
        DhcpServer server = NewServer(Config(3));
        DhcpMessage discover = Request(MacA, DhcpMessageType.Discover, 1);
        discover.RelayAddress = 0x0A0100FE;
        DhcpDatagram reply = DhcpServerExchange.Handle(server, discover, 0)!;
        Assert.AreEqual(0x0A0100FEu, reply.Destination);
        Assert.AreEqual(0x0A0100FEu, DhcpServerExchange.Parse(reply).RelayAddress);
    }

    [TestMethod]
    public void InformIsAnsweredWithoutAnAddress()
    {
        DhcpServer server = NewServer(Config(3));
        DhcpMessage inform = Request(MacA, DhcpMessageType.Inform, 1);
        inform.ClientAddress = 0x0A000050;
        DhcpDatagram reply = DhcpServerExchange.Handle(server, inform, 0)!;
        Assert.AreEqual(0x0A000050u, reply.Destination);
        DhcpMessage ack = DhcpServerExchange.Parse(reply);
        Assert.AreEqual(DhcpMessageType.Ack, ack.MessageType);
        Assert.AreEqual(0u, ack.YourAddress);
        Assert.IsFalse(ack.Options.Contains(DhcpOptionCode.LeaseTime));
        Assert.AreEqual(0, _store.Count);
    }

    [TestMethod]
    public void DropsWhatIsNotAnEthernetRequest()
    {
        DhcpServer server = NewServer(Config(3));
        byte[] garbage = new byte[] { 1, 2, 3 };
        Assert.IsNull(server.Handle(garbage, 0, garbage.Length, 0));
        Assert.IsTrue(server.LastDropReason.IndexOf("malformed: ") == 0, server.LastDropReason);

        DhcpMessage reply = Request(MacA, DhcpMessageType.Discover, 1);
        reply.Op = DhcpMessage.BootReply;
        Assert.IsNull(DhcpServerExchange.Handle(server, reply, 0));
        Assert.AreEqual("not an Ethernet BOOTREQUEST", server.LastDropReason);

        DhcpMessage longMac = Request(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, DhcpMessageType.Discover, 1);
        Assert.IsNull(DhcpServerExchange.Handle(server, longMac, 0));

        DhcpMessage untyped = new DhcpMessage();
        untyped.ClientHardwareAddress = MacA;
        Assert.IsNull(DhcpServerExchange.Handle(server, untyped, 0));
        Assert.AreEqual("no or unknown message type", server.LastDropReason);
        Assert.AreEqual(0, _store.Count);
    }

    [TestMethod]
    public void RefusesAPoolThatEndsBeforeItStarts()
    {
        DhcpServerConfig config = Config(3);
        config.PoolEnd = config.PoolStart - 1;
        AssertThrows.Any(() => new DhcpServer(config, new InMemoryDhcpLeaseStore()));
    }

    [TestMethod]
    public void ClientKeyIsTheMacInLowerCaseHex()
    {
        Assert.AreEqual("08:00:0f:ab:cd:ef", DhcpServer.ClientKey(new byte[] { 0x08, 0x00, 0x0F, 0xAB, 0xCD, 0xEF }));
    }
}
