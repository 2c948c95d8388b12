using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Controller.Database;
using Controller.Dhcp;
using Microsoft.Data.Sqlite;
using Protocol.Common;
using Protocol.Dhcp;
using Tests.Support;
using static Tests.Controller.DhcpServerHostWire;

namespace Tests.Controller;

/// <summary>
/// The DHCP host's receive loop on loopback: what it counts (answered, dropped, commits, trims),
/// how it cuts a queue into bursts of <see cref="DhcpServerHost.MaxBurst"/> ACKs with one commit
/// each, that an ACK leaves only after its commit and before a DISCOVER read ahead of it is
/// answered, and that ACKs whose lease could not be written are not sent. Requests are queued before <c>Start</c> where the test
/// needs them in one burst.
/// </summary>
[TestClass]
public sealed class DhcpServerHostCountersTests
{
    [TestMethod]
    public async Task AMalformedDatagramIsDroppedByReasonAndAQuietSocketCountsNothing()
    {
        await using DhcpServerHost host = new(new ControllerConfig(), PhoneConfig, new InMemoryDhcpLeaseStore(), IPAddress.Loopback, 0);
        host.Start();
        using Socket client = Client();
        IPEndPoint server = new(IPAddress.Loopback, host.Port);

        client.SendTo(new byte[] { 1, 2, 3 }, server);
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Drops.Total("malformed") == 1, 5_000), "the malformed datagram was not counted by its reason");
        Assert.AreEqual(1L, host.Dropped);

        // The socket times out every 250 ms while quiet: a timeout is no request.
        Assert.IsFalse(SpinWait.SpinUntil(() => host.Dropped > 1, 1_000), "a receive timeout was counted as a dropped request");

        client.SendTo(Discover(1).Encode(), server);
        Assert.AreEqual(DhcpMessageType.Offer, Receive(client).MessageType);
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Answered == 1, 5_000), "the offer was not counted as answered");
        Assert.AreEqual(1L, host.Dropped);
    }

    [TestMethod]
    public async Task AQueueLongerThanABurstIsCommittedOncePerBurstAndEveryAckLeaves()
    {
        const int Renewals = (2 * DhcpServerHost.MaxBurst) + 2;
        using TestDirectory directory = new("dhcp-host-bursts");
        using ElementDatabase database = ElementDatabase.Open(directory.File("element.db"));
        SqliteLeaseStore leases = new(database, new object());
        uint first = Host("10.80.0.1");
        for (int n = 0; n < Renewals; n++)
        {
            leases.Save(Bound(n, first + (uint)n));
        }

        await using DhcpServerHost host = new(new ControllerConfig(), PhoneConfig, leases, IPAddress.Loopback, 0);
        using Socket client = Client();
        IPEndPoint server = new(IPAddress.Loopback, host.Port);
        for (int n = 0; n < Renewals; n++)
        {
            client.SendTo(Renewal(n, first + (uint)n).Encode(), server);
        }

        host.Start();
        for (int n = 0; n < Renewals; n++)
        {
            Assert.AreEqual(DhcpMessageType.Ack, Receive(client).MessageType, "reply " + n);
        }

        Assert.AreEqual(3L, host.Commits, "bursts of " + DhcpServerHost.MaxBurst + ", " + DhcpServerHost.MaxBurst + " and 2, one commit each");
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Answered == Renewals, 5_000), "answered " + host.Answered + " of " + Renewals);
        Assert.AreEqual(0L, host.Dropped);
    }

    [TestMethod]
    public async Task AnAckLeavesBeforeTheOfferQueuedAheadOfItOnlyAfterItsCommitAndOnlyChangesCommit()
    {
        using TestDirectory directory = new("dhcp-host-ack-before-offer");
        object gate = new();
        using ElementDatabase database = ElementDatabase.Open(directory.File("element.db"));
        SqliteLeaseStore leases = new(database, gate);
        uint renewed = Host("10.81.0.1");
        leases.Save(Bound(1, renewed));
        await using DhcpServerHost host = new(new ControllerConfig(), PhoneConfig, leases, IPAddress.Loopback, 0);
        using Socket client = Client();
        IPEndPoint server = new(IPAddress.Loopback, host.Port);

        Monitor.Enter(gate);
        try
        {
            client.SendTo(Discover(2).Encode(), server);
            client.SendTo(Renewal(1, renewed).Encode(), server);
            host.Start();
            Assert.IsTrue(NothingArrives(client, 500), "a reply left while the ACK's lease could not be written");
        }
        finally
        {
            Monitor.Exit(gate);
        }

        Assert.AreEqual(DhcpMessageType.Ack, Receive(client).MessageType, "the REQUEST is served before the DISCOVER read ahead of it");
        Assert.AreEqual(DhcpMessageType.Offer, Receive(client).MessageType);
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Commits == 1, 5_000), "the burst with the ACK was not counted as a commit");

        // Offers change no row: no commit. The second offer's reply shows the first one's round is over.
        client.SendTo(Discover(3).Encode(), server);
        Assert.AreEqual(DhcpMessageType.Offer, Receive(client).MessageType);
        client.SendTo(Discover(4).Encode(), server);
        Assert.AreEqual(DhcpMessageType.Offer, Receive(client).MessageType);
        Assert.AreEqual(1L, host.Commits, "a round that changed no row was counted as a commit");
    }

    [TestMethod]
    public async Task AnAckWhoseLeaseCannotBeWrittenIsNotSentAndTheRetransmissionIsAcked()
    {
        using TestDirectory directory = new("dhcp-host-commit-fails");
        string path = directory.File("element.db");
        using ElementDatabase database = ElementDatabase.Open(path);
        SqliteLeaseStore leases = new(database, new object());
        uint renewed = Host("10.82.0.1");
        leases.Save(Bound(1, renewed));
        await using DhcpServerHost host = new(new ControllerConfig(), PhoneConfig, leases, IPAddress.Loopback, 0);
        host.Start();
        using Socket client = Client();
        IPEndPoint server = new(IPAddress.Loopback, host.Port);

        // A trigger of the test's refuses every row: the host's commit fails (SqliteException).
        Execute(path, "CREATE TRIGGER refuse_leases BEFORE INSERT ON dhcp_leases BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        client.SendTo(Renewal(1, renewed).Encode(), server);
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Dropped == 1, 10_000), "the ACK of the failed commit was not counted as dropped");
        Assert.IsTrue(NothingArrives(client, 500), "an ACK left whose lease was not written");
        Assert.AreEqual(0L, host.Commits);

        Execute(path, "DROP TRIGGER refuse_leases");
        client.SendTo(Renewal(1, renewed).Encode(), server);
        Assert.AreEqual(DhcpMessageType.Ack, Receive(client).MessageType, "the retransmission after the file came free");
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Commits == 1, 5_000), "the retransmission's commit");
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Answered == 1, 5_000), "answered " + host.Answered + ": only the retransmission's ACK is sent");
    }

    [TestMethod]
    public async Task OffersWithdrawnAtTheConfiguredPendingOfferLimitAreCounted()
    {
        ControllerConfig config = new();
        config.Dhcp.PendingOfferLimit = 2;
        await using DhcpServerHost host = new(config, PhoneConfig, new InMemoryDhcpLeaseStore(), IPAddress.Loopback, 0);
        host.Start();
        using Socket client = Client();
        IPEndPoint server = new(IPAddress.Loopback, host.Port);

        for (int n = 1; n <= 2; n++)
        {
            client.SendTo(Discover(n).Encode(), server);
            Assert.AreEqual(DhcpMessageType.Offer, Receive(client).MessageType);
        }

        Assert.IsFalse(SpinWait.SpinUntil(() => host.WithdrawnOffers > 0, 300), "an offer was withdrawn within the limit");

        // The third unclaimed offer pushes the first out.
        client.SendTo(Discover(3).Encode(), server);
        Assert.AreEqual(DhcpMessageType.Offer, Receive(client).MessageType);
        Assert.IsTrue(SpinWait.SpinUntil(() => host.WithdrawnOffers == 1, 5_000), "withdrawn offers: " + host.WithdrawnOffers + ", expected 1");
    }

    [TestMethod]
    public async Task TheQuietHostTrimsAfterExactlyTrimAfterRequestsWithAFullCollection()
    {
        using TestDirectory directory = new("dhcp-host-trim-boundary");
        using ElementDatabase database = ElementDatabase.Open(directory.File("element.db"));
        SqliteLeaseStore leases = new(database, new object());
        ControllerConfig config = new();
        config.Dhcp.PoolStart = "10.83.0.1";
        config.Dhcp.PoolEnd = "10.83.31.255";
        await using DhcpServerHost host = new(config, PhoneConfig, leases, IPAddress.Loopback, 0);
        host.Start();
        using Socket client = Client();
        IPEndPoint server = new(IPAddress.Loopback, host.Port);

        DiscoverAll(client, server, 0, DhcpServerHost.TrimAfterRequests - 1);
        Thread.Sleep(700);
        Assert.AreEqual(0L, host.Trims, "one request short of the threshold trims nothing");

        int collections = GC.CollectionCount(GC.MaxGeneration);
        DiscoverAll(client, server, DhcpServerHost.TrimAfterRequests - 1, 1);
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Trims == 1, 5_000), "no trim after exactly " + DhcpServerHost.TrimAfterRequests + " requests");
        Assert.IsTrue(GC.CollectionCount(GC.MaxGeneration) > collections, "the trim collected nothing");
    }

    // DISCOVERs from new MACs, 64 at a time, each batch's OFFERs read before the next.
    private static void DiscoverAll(Socket client, IPEndPoint server, int first, int count)
    {
        for (int sent = 0; sent < count;)
        {
            int batch = Math.Min(64, count - sent);
            for (int i = 0; i < batch; i++)
            {
                client.SendTo(Discover(first + sent + i).Encode(), server);
            }

            for (int i = 0; i < batch; i++)
            {
                Assert.AreEqual(DhcpMessageType.Offer, Receive(client).MessageType);
            }

            sent += batch;
        }
    }

    private static void Execute(string path, string sql)
    {
        using SqliteConnection connection = new(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static uint Host(string text)
    {
        Assert.IsTrue(Ipv4.TryParse(text, out uint address), text);
        return address;
    }
}
