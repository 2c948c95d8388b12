using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Controller.Database;
using Controller.Dhcp;
using Microsoft.Data.Sqlite;
using Protocol.Dhcp;
using Tests.Support;

namespace Tests.Controller;

/// <summary>
/// The DHCP server host on loopback over the element's SQLite file: a lease is in the file before
/// its ACK leaves, while an OFFER (no promise) leaves without waiting for the commit. The test
/// holds the database gate (which the lease commit takes), so a reply that arrives while it is
/// held was sent without the commit; once released, the ACK comes and the file, read on a second
/// connection, already holds the lease.
/// </summary>
[TestClass]
public sealed class DhcpServerHostTests
{
    private const int HeldMilliseconds = 700;
    private static readonly byte[] Mac = new byte[] { 0x02, 0, 0, 0, 0x17, 0x01 };

    [TestMethod]
    public async Task OfferLeavesAtOnceAndAckOnlyAfterTheLeaseIsInTheFile()
    {
        using TestDirectory directory = new("dhcp-host");
        string path = directory.File("element.db");
        object gate = new();
        using ElementDatabase database = ElementDatabase.Open(path);
        SqliteLeaseStore leases = new(database, gate);
        ControllerConfig config = new();
        await using DhcpServerHost host = new(config, DhcpServerHostWire.PhoneConfig, leases, IPAddress.Loopback, 0);
        host.Start();
        using Socket client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        IPEndPoint server = new(IPAddress.Loopback, host.Port);

        DhcpMessage offer = OfferWhileHoldingTheGate(client, server, gate, Request(DhcpMessageType.Discover, 0x1701));
        Assert.AreEqual(DhcpMessageType.Offer, offer.MessageType);

        Assert.IsNull(StateInFile(path, offer.YourAddress), "an offer is kept in memory only");

        DhcpMessage request = Request(DhcpMessageType.Request, 0x1702);
        request.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, offer.Options.GetUInt32(DhcpOptionCode.ServerIdentifier, 0));
        request.Options.SetUInt32(DhcpOptionCode.RequestedAddress, offer.YourAddress);
        DhcpMessage ack = ExchangeHoldingTheGate(client, server, gate, request);
        Assert.AreEqual(DhcpMessageType.Ack, ack.MessageType);
        Assert.AreEqual((long?)DhcpLeaseState.Bound, StateInFile(path, ack.YourAddress), "the ACK left before the lease was written");
        Assert.AreEqual(1L, host.Commits, "one commit, the ACK's");
    }

    [TestMethod]
    public async Task AfterABusySpellTheQuietHostGivesMemoryBackOnce()
    {
        using TestDirectory directory = new("dhcp-host-trim-dhcp-perf");
        using ElementDatabase database = ElementDatabase.Open(directory.File("element.db"));
        SqliteLeaseStore leases = new(database, new object());
        ControllerConfig config = new();
        config.Dhcp.PoolStart = "10.77.1.0";
        config.Dhcp.PoolEnd = "10.77.127.255";
        await using DhcpServerHost host = new(config, DhcpServerHostWire.PhoneConfig, leases, IPAddress.Loopback, 0);
        host.Start();
        using Socket client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveTimeout = 5_000;
        IPEndPoint server = new(IPAddress.Loopback, host.Port);

        Discover(client, server, 0, 100);
        Thread.Sleep(700);
        Assert.AreEqual(0L, host.Trims, "a quiet spell after a few requests trims nothing");

        Discover(client, server, 100, DhcpServerHost.TrimAfterRequests);
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Trims == 1, 5_000), "no trim after " + DhcpServerHost.TrimAfterRequests + " requests and a quiet socket");
        Thread.Sleep(700);
        Assert.AreEqual(1L, host.Trims, "one trim per busy spell");
    }

    // DISCOVERs from new MACs, 64 at a time, each batch's OFFERs read before the next.
    private static void Discover(Socket client, IPEndPoint server, int first, int count)
    {
        byte[] buffer = new byte[2048];
        for (int sent = 0; sent < count;)
        {
            int batch = Math.Min(64, count - sent);
            for (int i = 0; i < batch; i++)
            {
                int n = first + sent + i;
                DhcpMessage discover = new() { Op = DhcpMessage.BootRequest, TransactionId = (uint)n, ClientHardwareAddress = new byte[] { 0x02, 0, 0, (byte)(n >> 16), (byte)(n >> 8), (byte)n } };
                discover.MessageType = DhcpMessageType.Discover;
                client.SendTo(discover.Encode(), server);
            }

            for (int i = 0; i < batch; i++)
            {
                int received = client.Receive(buffer);
                Assert.AreEqual(DhcpMessageType.Offer, DhcpMessage.Parse(buffer, 0, received).MessageType);
            }

            sent += batch;
        }
    }

    private static DhcpMessage Request(DhcpMessageType type, uint xid)
    {
        DhcpMessage message = new() { Op = DhcpMessage.BootRequest, TransactionId = xid, ClientHardwareAddress = Mac };
        message.MessageType = type;
        return message;
    }

    // Sends while the gate is held: the OFFER comes back all the same (it waits for no commit).
    private static DhcpMessage OfferWhileHoldingTheGate(Socket client, IPEndPoint server, object gate, DhcpMessage request)
    {
        byte[] buffer = new byte[2048];
        Monitor.Enter(gate);
        try
        {
            client.SendTo(request.Encode(), server);
            client.ReceiveTimeout = 5_000;
            int received = client.Receive(buffer);
            DhcpMessage reply = DhcpMessage.Parse(buffer, 0, received);
            Assert.AreEqual(request.TransactionId, reply.TransactionId);
            return reply;
        }
        finally
        {
            Monitor.Exit(gate);
        }
    }

    // Sends while the gate is held: nothing may come back until it is released.
    private static DhcpMessage ExchangeHoldingTheGate(Socket client, IPEndPoint server, object gate, DhcpMessage request)
    {
        byte[] buffer = new byte[2048];
        byte[] data = request.Encode();
        Monitor.Enter(gate);
        try
        {
            client.SendTo(data, server);
            client.ReceiveTimeout = HeldMilliseconds;
            try
            {
                int early = client.Receive(buffer);
                Assert.Fail("a " + DhcpMessage.Parse(buffer, 0, early).MessageType + " arrived while the lease table could not be written");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                // Expected: the reply waits for the commit.
            }
        }
        finally
        {
            Monitor.Exit(gate);
        }

        client.ReceiveTimeout = 5_000;
        int received = client.Receive(buffer);
        DhcpMessage reply = DhcpMessage.Parse(buffer, 0, received);
        Assert.AreEqual(request.TransactionId, reply.TransactionId);
        return reply;
    }

    private static long? StateInFile(string path, uint address)
    {
        SqliteConnectionStringBuilder builder = new() { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using SqliteConnection connection = new(builder.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM dhcp_leases WHERE address = $address";
        command.Parameters.AddWithValue("$address", (long)address);
        object? state = command.ExecuteScalar();
        return state == null ? null : (long)state;
    }
}
