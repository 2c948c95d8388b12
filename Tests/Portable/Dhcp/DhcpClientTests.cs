using System.Collections;
using Protocol.Common;
using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

[TestClass]
public class DhcpClientTests
{
    private const uint ServerAddress = 0x0A000001; // 10.0.0.1
    private const uint PoolStart = 0x0A000064; // 10.0.0.100
    private const long T1 = 1800 * 1000L;
    private const long T2 = 3150 * 1000L;
    private const long Expiry = 3600 * 1000L;
    private const string PhoneConfig = "id:ipphone.mitel.com;sw_tftp=10.37.20.11;call_srv=10.37.18.11,10.37.10.11;vlan=1056;l2p=6;dscp=46";

    private static readonly byte[] Mac = new byte[] { 0x08, 0x00, 0x0F, 0x12, 0x34, 0x56 };

    private readonly InMemoryDhcpLeaseStore _store = new InMemoryDhcpLeaseStore();
    private readonly ArrayList _events = new ArrayList();

    private static DhcpServer NewServer(uint address, string phoneConfig, IDhcpLeaseStore store)
    {
        DhcpServerConfig config = new DhcpServerConfig();
        config.ServerAddress = address;
        config.PoolStart = PoolStart;
        config.PoolEnd = PoolStart + 9;
        config.SubnetMask = 0xFFFFFF00;
        config.Router = 0x0A0000FE;
        config.DnsServers = new uint[] { 0x0A000035, 0x0A000036 };
        config.LeaseSeconds = 3600;
        config.PhoneConfigString = phoneConfig;
        return new DhcpServer(config, store);
    }

    private DhcpServer NewServer()
    {
        return NewServer(ServerAddress, PhoneConfig, _store);
    }

    private static DhcpMessage Parse(DhcpDatagram datagram)
    {
        return DhcpMessage.Parse(datagram.Data, 0, datagram.Data.Length);
    }

    private static void Deliver(DhcpClient client, DhcpDatagram reply, long now)
    {
        client.OnReceive(reply.Data, 0, reply.Data.Length, now);
    }

    private static void Deliver(DhcpClient client, DhcpMessage reply, long now)
    {
        byte[] data = reply.Encode();
        client.OnReceive(data, 0, data.Length, now);
    }

    /// <summary>Sends everything the client has to send now to the server and the replies back; returns how many went out.</summary>
    private int Pump(DhcpClient client, DhcpServer server, long now)
    {
        int sent = 0;
        DhcpDatagram? datagram = client.Poll(now);
        while (datagram != null)
        {
            sent++;
            DhcpDatagram? reply = server.Handle(datagram.Data, 0, datagram.Data.Length, now);
            if (reply != null)
            {
                Deliver(client, reply, now);
            }

            datagram = client.Poll(now);
        }

        DrainEvents(client);
        return sent;
    }

    private void DrainEvents(DhcpClient client)
    {
        DhcpClientEvent? e = client.PollEvent();
        while (e != null)
        {
            _events.Add(e);
            e = client.PollEvent();
        }
    }

    private DhcpClientEvent Event(int index)
    {
        return (DhcpClientEvent)_events[index]!;
    }

    private DhcpClient BoundClient(DhcpServer server)
    {
        DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(100, new int[] { 1000 }));
        client.Start(0, 0);
        Pump(client, server, 0);
        Assert.AreEqual(DhcpClientState.Bound, client.State);
        _events.Clear();
        return client;
    }

    [TestMethod]
    public void DiscoverOfferRequestAckBindsTheLease()
    {
        DhcpServer server = NewServer();
        DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(0xABCD0000, new int[] { 1000 }));
        Assert.AreEqual(DhcpClientState.Stopped, client.State);
        client.Start(0, 0);
        Assert.AreEqual(DhcpClientState.Selecting, client.State);

        DhcpDatagram discover = client.Poll(0)!;
        Assert.AreEqual(Ipv4.Broadcast, discover.Destination);
        DhcpMessage discoverMessage = Parse(discover);
        Assert.AreEqual(DhcpMessageType.Discover, discoverMessage.MessageType);
        Assert.AreEqual(DhcpMessage.BootRequest, discoverMessage.Op);
        Assert.AreEqual(0xABCD0000u, discoverMessage.TransactionId);
        Assert.IsTrue(discoverMessage.IsFor(Mac));
        Assert.AreEqual("ipphone.mitel.com", Bytes.Text(discoverMessage.Options.Get(DhcpOptionCode.VendorClassIdentifier)!));
        byte[] asked = discoverMessage.Options.Get(DhcpOptionCode.ParameterRequestList)!;
        Assert.IsTrue(System.Array.IndexOf(asked, DhcpOptionCode.VendorIdentifyingVendorSpecific) >= 0);
        Assert.IsTrue(System.Array.IndexOf(asked, DhcpOptionCode.VendorSpecific) >= 0);
        byte[] clientId = discoverMessage.Options.Get(DhcpOptionCode.ClientIdentifier)!;
        Assert.AreEqual("01" + Bytes.Hex(Mac), Bytes.Hex(clientId));

        Deliver(client, server.Handle(discover.Data, 0, discover.Data.Length, 0)!, 0);
        Assert.AreEqual(DhcpClientState.Requesting, client.State);
        DhcpDatagram request = client.Poll(10)!;
        Assert.AreEqual(Ipv4.Broadcast, request.Destination);
        DhcpMessage requestMessage = Parse(request);
        Assert.AreEqual(DhcpMessageType.Request, requestMessage.MessageType);
        Assert.AreEqual(0xABCD0000u, requestMessage.TransactionId);
        Assert.AreEqual(ServerAddress, requestMessage.Options.GetUInt32(DhcpOptionCode.ServerIdentifier, 0));
        Assert.AreEqual(PoolStart, requestMessage.Options.GetUInt32(DhcpOptionCode.RequestedAddress, 0));
        Assert.AreEqual(0u, requestMessage.ClientAddress);

        Deliver(client, server.Handle(request.Data, 0, request.Data.Length, 10)!, 10);
        DrainEvents(client);
        Assert.AreEqual(1, _events.Count);
        Assert.AreEqual(DhcpClientEventKind.Bound, Event(0).Kind);
        Assert.AreEqual("discover", Event(0).Detail);
        Assert.AreEqual(DhcpClientState.Bound, client.State);

        DhcpLease lease = client.Lease!;
        Assert.AreEqual(PoolStart, lease.Address);
        Assert.AreEqual(0xFFFFFF00u, lease.SubnetMask);
        Assert.AreEqual(0x0A0000FEu, lease.Router);
        Assert.AreEqual(2, lease.DnsServers.Length);
        Assert.AreEqual(0x0A000036u, lease.DnsServers[1]);
        Assert.AreEqual(ServerAddress, lease.ServerIdentifier);
        Assert.AreEqual(3600L, lease.LeaseSeconds);
        Assert.AreEqual(1800L, lease.RenewalSeconds);
        Assert.AreEqual(3150L, lease.RebindingSeconds);
        Assert.AreEqual(0L, lease.AcquiredAt);
        Assert.AreEqual(2, lease.PhoneConfig.CallServers.Length);
        Assert.AreEqual(1056, lease.PhoneConfig.Vlan);
        Assert.AreEqual(T1, client.NextDeadline);
        Assert.IsNull(client.Poll(T1 - 1));
    }

    [TestMethod]
    public void AnOfferWithoutPhoneConfigurationIsRejectedAndTheClientKeepsWaiting()
    {
        InMemoryDhcpLeaseStore otherStore = new InMemoryDhcpLeaseStore();
        DhcpServer plain = NewServer(0x0A000002, string.Empty, otherStore);
        DhcpServer phones = NewServer();
        DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(1, new int[] { 1000 }));
        client.Start(0, 0);
        DhcpDatagram discover = client.Poll(0)!;
        long retransmitAt = client.NextDeadline;
        Assert.AreEqual(4000L, retransmitAt);

        DhcpDatagram offer = plain.Handle(discover.Data, 0, discover.Data.Length, 0)!;
        Deliver(client, offer, 100);
        Deliver(client, offer, 200);
        DrainEvents(client);
        Assert.AreEqual(2, _events.Count);
        Assert.AreEqual(DhcpClientEventKind.OfferRejected, Event(0).Kind);
        Assert.AreEqual(1, Event(0).OfferNumber);
        Assert.AreEqual("no option 125, 43 or 128-135", Event(0).Detail);
        Assert.AreEqual(2, Event(1).OfferNumber);
        Assert.AreEqual(DhcpClientState.Selecting, client.State);
        Assert.IsNull(client.Poll(300));
        Assert.AreEqual(retransmitAt, client.NextDeadline);

        // A later offer with option 125, from another server, is taken.
        Deliver(client, phones.Handle(discover.Data, 0, discover.Data.Length, 0)!, 400);
        Assert.AreEqual(DhcpClientState.Requesting, client.State);
        DhcpDatagram request = client.Poll(400)!;
        Assert.AreEqual(ServerAddress, Parse(request).Options.GetUInt32(DhcpOptionCode.ServerIdentifier, 0));

        // The first server sees the client chose another and frees its offer.
        Assert.IsNull(plain.Handle(request.Data, 0, request.Data.Length, 400));
        Assert.AreEqual(0, otherStore.Count);
        Deliver(client, phones.Handle(request.Data, 0, request.Data.Length, 400)!, 400);
        Assert.AreEqual(DhcpClientState.Bound, client.State);
    }

    [TestMethod]
    public void WithoutAnyOfferDiscoverIsRetransmittedRepeatedly()
    {
        DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(1, new int[] { 1000 }));
        client.Start(0, 0);
        Assert.IsNotNull(client.Poll(0));
        DhcpServer plain = NewServer(ServerAddress, string.Empty, _store);
        for (int i = 0; i < 3; i++)
        {
            Assert.AreEqual(1, Pump(client, plain, client.NextDeadline));
        }

        Assert.AreEqual(3, _events.Count);
        Assert.AreEqual(DhcpClientState.Selecting, client.State);
    }

    [TestMethod]
    public void RetransmissionsBackOffFromFourToSixtyFourSecondsWithTheScriptedJitter()
    {
        // Next(2001) - 1000 is the jitter: 0, -1000, +1000, +500, -500, 0, +999, -1000.
        int[] draws = new int[] { 1000, 0, 2000, 1500, 500, 1000, 1999, 0 };
        ScriptedRandom random = new ScriptedRandom(42, draws);
        DhcpClient client = new DhcpClient(Mac, random);
        client.Start(0, 0);
        long now = 0;
        long[] nominal = new long[] { 4000, 8000, 16000, 32000, 64000, 64000, 64000, 64000 };
        for (int i = 0; i < nominal.Length; i++)
        {
            DhcpDatagram sent = client.Poll(now)!;
            DhcpMessage discover = Parse(sent);
            Assert.AreEqual(DhcpMessageType.Discover, discover.MessageType);
            Assert.AreEqual(42u, discover.TransactionId);
            Assert.AreEqual((int)(now / 1000), discover.Seconds);
            Assert.AreEqual(2001, random.LastMaxExclusive);

            long expected = now + nominal[i] + (draws[i] - 1000);
            Assert.AreEqual(expected, client.NextDeadline, "retransmission " + i.ToString());
            Assert.IsNull(client.Poll(expected - 1));
            now = expected;
        }

        Assert.AreEqual(nominal.Length, random.NextCalls);
    }

    [TestMethod]
    public void RetransmissionJitterStaysWithinOneSecond()
    {
        SeededRandom random = new SeededRandom(2024);
        DhcpClient client = new DhcpClient(Mac, random);
        client.Start(0, 0);
        long now = 0;
        long nominal = 4000;
        long smallest = long.MaxValue;
        long largest = long.MinValue;
        for (int i = 0; i < 200; i++)
        {
            Assert.IsNotNull(client.Poll(now));
            long jitter = client.NextDeadline - now - nominal;
            Assert.IsTrue(jitter >= -1000 && jitter <= 1000, "jitter " + jitter.ToString());
            smallest = jitter < smallest ? jitter : smallest;
            largest = jitter > largest ? jitter : largest;
            now = client.NextDeadline;
            nominal = nominal < 64000 ? nominal * 2 : 64000;
        }

        Assert.IsTrue(largest - smallest > 1000, "the jitter hardly varies: " + smallest.ToString() + ".." + largest.ToString());
    }

    [TestMethod]
    public void RequestIsSentFourTimesThenTheClientStartsOver()
    {
        DhcpServer server = NewServer();
        DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(7, new int[] { 1000 }));
        client.Start(0, 0);
        DhcpDatagram discover = client.Poll(0)!;
        Deliver(client, server.Handle(discover.Data, 0, discover.Data.Length, 0)!, 0);

        long now = 0;
        long[] gaps = new long[] { 4000, 8000, 16000 };
        for (int i = 0; i < DhcpClient.RequestAttempts; i++)
        {
            DhcpMessage request = Parse(client.Poll(now)!);
            Assert.AreEqual(DhcpMessageType.Request, request.MessageType, "attempt " + i.ToString());
            Assert.AreEqual(7u, request.TransactionId);
            if (i < gaps.Length)
            {
                Assert.AreEqual(now + gaps[i], client.NextDeadline);
            }

            now = client.NextDeadline;
        }

        DhcpMessage again = Parse(client.Poll(now)!);
        Assert.AreEqual(DhcpMessageType.Discover, again.MessageType);
        Assert.AreEqual(8u, again.TransactionId);
        Assert.AreEqual(DhcpClientState.Selecting, client.State);
    }

    [TestMethod]
    public void ANakMakesTheClientStartOver()
    {
        DhcpServer server = NewServer();
        DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(7, new int[] { 1000 }));
        client.Start(0, 0);
        DhcpDatagram discover = client.Poll(0)!;
        Deliver(client, server.Handle(discover.Data, 0, discover.Data.Length, 0)!, 0);
        DhcpMessage request = Parse(client.Poll(0)!);

        DhcpMessage nak = new DhcpMessage();
        nak.Op = DhcpMessage.BootReply;
        nak.TransactionId = request.TransactionId;
        nak.ClientHardwareAddress = Mac;
        nak.MessageType = DhcpMessageType.Nak;
        nak.Options.SetString(DhcpOptionCode.Message, "go away");
        Deliver(client, nak, 500);
        DrainEvents(client);
        Assert.AreEqual(1, _events.Count);
        Assert.AreEqual(DhcpClientEventKind.Nak, Event(0).Kind);
        Assert.AreEqual("go away", Event(0).Detail);
        Assert.AreEqual(DhcpClientState.Selecting, client.State);
        Assert.IsNull(client.Lease);
        DhcpMessage restart = Parse(client.Poll(500)!);
        Assert.AreEqual(DhcpMessageType.Discover, restart.MessageType);
        Assert.AreNotEqual(request.TransactionId, restart.TransactionId);
        Assert.AreEqual(0, restart.Seconds);
    }

    [TestMethod]
    public void InitRebootWithARememberedAddressIsConfirmedWithOneRequest()
    {
        DhcpServer server = NewServer();
        uint address = BoundClient(server).Lease!.Address;

        DhcpClient rebooted = new DhcpClient(Mac, new ScriptedRandom(500, new int[] { 1000 }));
        rebooted.Start(60000, address);
        Assert.AreEqual(DhcpClientState.Rebooting, rebooted.State);
        DhcpDatagram request = rebooted.Poll(60000)!;
        Assert.AreEqual(Ipv4.Broadcast, request.Destination);
        DhcpMessage message = Parse(request);
        Assert.AreEqual(DhcpMessageType.Request, message.MessageType);
        Assert.AreEqual(address, message.Options.GetUInt32(DhcpOptionCode.RequestedAddress, 0));
        Assert.IsFalse(message.Options.Contains(DhcpOptionCode.ServerIdentifier));
        Assert.AreEqual(0u, message.ClientAddress);

        Deliver(rebooted, server.Handle(request.Data, 0, request.Data.Length, 60000)!, 60000);
        DrainEvents(rebooted);
        Assert.AreEqual(DhcpClientEventKind.Bound, Event(0).Kind);
        Assert.AreEqual("init-reboot", Event(0).Detail);
        Assert.AreEqual(address, rebooted.Lease!.Address);
        Assert.AreEqual(60000L, rebooted.Lease.AcquiredAt);
        Assert.AreEqual(1056, rebooted.Lease.PhoneConfig.Vlan);
    }

    [TestMethod]
    public void InitRebootWithAWrongAddressIsNakedAndTheClientDiscoversAgain()
    {
        DhcpServer server = NewServer();
        uint address = BoundClient(server).Lease!.Address;

        DhcpClient rebooted = new DhcpClient(Mac, new ScriptedRandom(500, new int[] { 1000 }));
        rebooted.Start(1000, address + 5);
        Pump(rebooted, server, 1000);
        Assert.AreEqual(DhcpClientEventKind.Nak, Event(0).Kind);
        Assert.AreEqual("address not valid for this client", Event(0).Detail);
        Assert.AreEqual(DhcpClientEventKind.Bound, Event(1).Kind);
        Assert.AreEqual(address, rebooted.Lease!.Address);
    }

    [TestMethod]
    public void AsksForBroadcastRepliesUntilItHasAnAddress()
    {
        DhcpClient client = new DhcpClient(new byte[] { 0, 8, 0x5d, 0, 0x10, 0x42 }, new ScriptedRandom(7, new int[] { 1000 }));
        client.Start(0, 0);
        DhcpMessage discover = Parse(client.Poll(0)!);
        Assert.AreEqual(DhcpMessageType.Discover, discover.MessageType);
        Assert.AreEqual(DhcpMessage.BroadcastFlag, discover.Flags);

        DhcpClient rebooting = new DhcpClient(new byte[] { 0, 8, 0x5d, 0, 0x10, 0x43 }, new ScriptedRandom(8, new int[] { 1000 }));
        rebooting.Start(0, 0x0A4D0033);
        DhcpMessage request = Parse(rebooting.Poll(0)!);
        Assert.AreEqual(DhcpMessageType.Request, request.MessageType);
        Assert.AreEqual(DhcpMessage.BroadcastFlag, request.Flags);
    }

    [TestMethod]
    public void RenewsAtT1ByUnicastToTheServer()
    {
        DhcpServer server = NewServer();
        DhcpClient client = BoundClient(server);
        uint address = client.Lease!.Address;
        Assert.IsNull(client.Poll(T1 - 1));

        DhcpDatagram renewal = client.Poll(T1)!;
        Assert.AreEqual(DhcpClientState.Renewing, client.State);
        Assert.AreEqual(ServerAddress, renewal.Destination);
        DhcpMessage message = Parse(renewal);
        Assert.AreEqual(DhcpMessageType.Request, message.MessageType);
        Assert.AreEqual(address, message.ClientAddress);
        Assert.IsFalse(message.Options.Contains(DhcpOptionCode.ServerIdentifier));
        Assert.IsFalse(message.Options.Contains(DhcpOptionCode.RequestedAddress));
        Assert.AreEqual(0, message.Flags, "a bound client takes unicast replies");
        Assert.AreEqual(101u, message.TransactionId);

        DhcpDatagram ack = server.Handle(renewal.Data, 0, renewal.Data.Length, T1)!;
        Assert.AreEqual(address, ack.Destination);
        Deliver(client, ack, T1 + 20);
        DrainEvents(client);
        Assert.AreEqual(1, _events.Count);
        Assert.AreEqual(DhcpClientEventKind.Renewed, Event(0).Kind);
        Assert.AreEqual(DhcpClientState.Bound, client.State);
        Assert.AreEqual(T1, client.Lease!.AcquiredAt);
        Assert.AreEqual(T1 + T1, client.NextDeadline);
    }

    [TestMethod]
    public void RebindsAtT2ByBroadcastWhenTheServerStaysSilent()
    {
        DhcpServer server = NewServer();
        DhcpClient client = BoundClient(server);
        long now = client.NextDeadline;
        ArrayList unicastTimes = new ArrayList();
        DhcpDatagram? sent = client.Poll(now);
        while (sent != null && sent.Destination != Ipv4.Broadcast)
        {
            Assert.AreEqual(ServerAddress, sent.Destination);
            Assert.AreEqual(DhcpClientState.Renewing, client.State);
            unicastTimes.Add(now);
            Assert.IsTrue(client.NextDeadline > now);
            now = client.NextDeadline;
            sent = client.Poll(now);
        }

        Assert.IsNotNull(sent);
        Assert.AreEqual(T2, now);
        Assert.AreEqual(DhcpClientState.Rebinding, client.State);
        Assert.AreEqual(client.Lease!.Address, Parse(sent!).ClientAddress);

        // RFC 2131 §4.4.5: half the remaining time to T2 between tries, at least 60 s.
        Assert.AreEqual(T1, (long)unicastTimes[0]!);
        Assert.AreEqual(T1 + ((T2 - T1) / 2), (long)unicastTimes[1]!);
        for (int i = 1; i < unicastTimes.Count; i++)
        {
            long gap = (long)unicastTimes[i]! - (long)unicastTimes[i - 1]!;
            Assert.IsTrue(gap >= 60000, "gap " + gap.ToString());
        }

        // The rebinding broadcast reaches the server, which renews the lease.
        Deliver(client, server.Handle(sent!.Data, 0, sent.Data.Length, now)!, now);
        DrainEvents(client);
        Assert.AreEqual(DhcpClientEventKind.Rebound, Event(0).Kind);
        Assert.AreEqual(DhcpClientState.Bound, client.State);
        Assert.AreEqual(T2, client.Lease!.AcquiredAt);
    }

    [TestMethod]
    public void ALateRenewalWithAShorterLeaseIsNotExpiredAtOnce()
    {
        // The server answers only the rebinding broadcast at T2 (3150 s), with a 600 s lease:
        // the lease runs from T2, not from T1 when the renewal attempts began.
        DhcpServer server = NewServer();
        DhcpClient client = BoundClient(server);
        long now = client.NextDeadline;
        DhcpDatagram? sent = client.Poll(now);
        while (sent != null && sent.Destination != Ipv4.Broadcast)
        {
            now = client.NextDeadline;
            sent = client.Poll(now);
        }

        Assert.AreEqual(T2, now);
        DhcpMessage request = Parse(sent!);
        DhcpMessage ack = new DhcpMessage();
        ack.Op = DhcpMessage.BootReply;
        ack.TransactionId = request.TransactionId;
        ack.ClientAddress = request.ClientAddress;
        ack.YourAddress = request.ClientAddress;
        ack.ClientHardwareAddress = Mac;
        ack.MessageType = DhcpMessageType.Ack;
        ack.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, 0x0A000002);
        ack.Options.SetUInt32(DhcpOptionCode.LeaseTime, 600);
        Deliver(client, ack, now + 5);
        DrainEvents(client);
        Assert.AreEqual(DhcpClientEventKind.Rebound, Event(0).Kind);

        // Nothing is due before the new T1, 300 s after the rebinding request.
        Assert.AreEqual(T2 + 300000, client.NextDeadline);
        Assert.IsNull(client.Poll(now + 10));
        DhcpDatagram renewal = client.Poll(T2 + 300000)!;
        Assert.AreEqual(0x0A000002u, renewal.Destination);
        DrainEvents(client);
        Assert.AreEqual(1, _events.Count);
        Assert.IsNotNull(client.Lease);
    }

    [TestMethod]
    public void TheLeaseExpiresWhenNobodyAnswersAndTheClientDiscoversAgain()
    {
        DhcpServer server = NewServer();
        DhcpClient client = BoundClient(server);
        long now = client.NextDeadline;
        int guard = 0;
        while (client.State != DhcpClientState.Selecting && guard++ < 100)
        {
            DhcpDatagram? sent = client.Poll(now);
            Assert.IsNotNull(sent);
            DhcpMessage message = Parse(sent!);
            if (client.State == DhcpClientState.Selecting)
            {
                Assert.AreEqual(DhcpMessageType.Discover, message.MessageType);
                Assert.AreEqual(0u, message.ClientAddress);
                Assert.AreEqual(Ipv4.Broadcast, sent!.Destination);
                break;
            }

            Assert.IsTrue(now < Expiry, "a renewal at " + now.ToString());
            Assert.AreEqual(DhcpMessageType.Request, message.MessageType);
            now = client.NextDeadline;
        }

        DrainEvents(client);
        Assert.AreEqual(1, _events.Count);
        Assert.AreEqual(DhcpClientEventKind.LeaseExpired, Event(0).Kind);
        Assert.AreEqual(Expiry, now);
        Assert.IsNull(client.Lease);
    }

    [TestMethod]
    public void AnAckWithoutVendorOptionsKeepsTheOfferedConfiguration()
    {
        DhcpServer server = NewServer();
        DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(7, new int[] { 1000 }));
        client.Start(0, 0);
        DhcpDatagram discover = client.Poll(0)!;
        Deliver(client, server.Handle(discover.Data, 0, discover.Data.Length, 0)!, 0);
        DhcpDatagram request = client.Poll(0)!;
        DhcpMessage fullAck = Parse(server.Handle(request.Data, 0, request.Data.Length, 0)!);

        DhcpMessage bareAck = new DhcpMessage();
        bareAck.Op = DhcpMessage.BootReply;
        bareAck.TransactionId = fullAck.TransactionId;
        bareAck.YourAddress = fullAck.YourAddress;
        bareAck.ClientHardwareAddress = Mac;
        bareAck.MessageType = DhcpMessageType.Ack;
        bareAck.Options.SetUInt32(DhcpOptionCode.LeaseTime, 600);
        Deliver(client, bareAck, 0);
        Assert.AreEqual(DhcpClientState.Bound, client.State);
        Assert.AreEqual(1056, client.Lease!.PhoneConfig.Vlan);
        Assert.AreEqual(ServerAddress, client.Lease.ServerIdentifier);
        Assert.AreEqual(300L, client.Lease.RenewalSeconds);
        Assert.AreEqual(525L, client.Lease.RebindingSeconds);
        Assert.AreEqual(0xFFFFFF00u, client.Lease.SubnetMask);
    }

    [TestMethod]
    public void IgnoresRepliesForOtherExchangesOrClients()
    {
        DhcpServer server = NewServer();
        DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(7, new int[] { 1000 }));
        client.Start(0, 0);
        DhcpDatagram discover = client.Poll(0)!;
        DhcpMessage offer = Parse(server.Handle(discover.Data, 0, discover.Data.Length, 0)!);

        offer.TransactionId = 8;
        Deliver(client, offer, 0);
        offer.TransactionId = 7;
        offer.ClientHardwareAddress = new byte[] { 0x08, 0x00, 0x0F, 0x12, 0x34, 0x57 };
        Deliver(client, offer, 0);
        offer.ClientHardwareAddress = Mac;
        offer.Op = DhcpMessage.BootRequest;
        Deliver(client, offer, 0);
        offer.Op = DhcpMessage.BootReply;
        offer.MessageType = DhcpMessageType.Ack;
        Deliver(client, offer, 0);
        client.OnReceive(new byte[] { 1, 2, 3 }, 0, 3, 0);

        DrainEvents(client);
        Assert.AreEqual(0, _events.Count);
        Assert.AreEqual(DhcpClientState.Selecting, client.State);
        Assert.IsNull(client.Poll(0));

        offer.MessageType = DhcpMessageType.Offer;
        Deliver(client, offer, 0);
        Assert.AreEqual(DhcpClientState.Requesting, client.State);
    }

    [TestMethod]
    public void ReleaseSendsTheAddressBackToTheServerAndStops()
    {
        DhcpServer server = NewServer();
        DhcpClient client = BoundClient(server);
        uint address = client.Lease!.Address;
        Assert.AreEqual(1, _store.Count);

        DhcpDatagram release = client.Release(5000);
        Assert.AreEqual(ServerAddress, release.Destination);
        DhcpMessage message = Parse(release);
        Assert.AreEqual(DhcpMessageType.Release, message.MessageType);
        Assert.AreEqual(address, message.ClientAddress);
        Assert.AreEqual(ServerAddress, message.Options.GetUInt32(DhcpOptionCode.ServerIdentifier, 0));
        Assert.IsNull(server.Handle(release.Data, 0, release.Data.Length, 5000));
        Assert.AreEqual(0, _store.Count);

        Assert.AreEqual(DhcpClientState.Stopped, client.State);
        Assert.IsNull(client.Lease);
        Assert.AreEqual(Deadline.None, client.NextDeadline);
        Assert.IsNull(client.Poll(long.MaxValue - 1));
    }

    [TestMethod]
    public void RefusesAMacThatIsNotSixBytes()
    {
        AssertThrows.Any(() => new DhcpClient(new byte[] { 1, 2, 3 }, new ScriptedRandom(1, new int[0])));
    }
}
