using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Controller.Database;
using Controller.Dhcp;
using Protocol.Common;
using Protocol.Dhcp;
using Tests.Support;
using static Tests.Controller.DhcpServerHostWire;

namespace Tests.Controller;

/// <summary>
/// The order the DHCP host answers a full socket in (issue 13, the boot storm): it reads the
/// socket dry in one wake, answers a REQUEST (which completes a client) before the DISCOVERs
/// queued ahead of it (which only start one), and keeps the DISCOVERs it read ahead in a queue
/// that a storm grows and the quiet after it gives back. Requests are queued before <c>Start</c>.
/// </summary>
[TestClass]
public sealed class DhcpServerHostOrderTests
{
    [TestMethod]
    public async Task ARequestQueuedBehindDiscoversIsAckedBeforeAnyOfThemIsOffered()
    {
        const int Discovers = 100;
        using TestDirectory directory = new("dhcp-host-order");
        using ElementDatabase database = ElementDatabase.Open(directory.File("element.db"));
        SqliteLeaseStore leases = new(database, new object());
        uint renewed = Host("10.84.100.1");
        leases.Save(Bound(5000, renewed));
        ControllerConfig config = new();
        config.Dhcp.PoolStart = "10.84.0.1";
        config.Dhcp.PoolEnd = "10.84.0.255";
        await using DhcpServerHost host = new(config, PhoneConfig, leases, IPAddress.Loopback, 0);
        using Socket client = Client();

        // Room for every reply at once (the default buffer holds fewer than a hundred on loopback).
        client.ReceiveBufferSize = 1 << 20;
        IPEndPoint server = new(IPAddress.Loopback, host.Port);
        for (int n = 0; n < Discovers; n++)
        {
            client.SendTo(Discover(n).Encode(), server);
        }

        client.SendTo(Renewal(5000, renewed).Encode(), server);
        host.Start();

        DhcpMessage first = Receive(client);
        Assert.AreEqual(DhcpMessageType.Ack, first.MessageType, "the REQUEST waited behind the DISCOVERs read before it");
        Assert.AreEqual(renewed, first.YourAddress);
        for (int n = 0; n < Discovers; n++)
        {
            DhcpMessage offer = Receive(client);
            Assert.AreEqual(DhcpMessageType.Offer, offer.MessageType);
            Assert.AreEqual((uint)n, offer.TransactionId, "the DISCOVERs are answered oldest first");
        }

        Assert.AreEqual(1L, host.Wakes, "the queued datagrams were not all read in the first wake");
        Assert.AreEqual((long)Discovers, host.DeferredPeak, "DISCOVERs held at once");
        Assert.AreEqual(1L, host.Commits, "the ACK's commit");
    }

    [TestMethod]
    public async Task AStormsReadAheadIsGivenBackWhenTheSocketGoesQuiet()
    {
        const int Storm = DhcpServerHost.TrimAfterRequests + 100;
        using TestDirectory directory = new("dhcp-host-read-ahead");
        using ElementDatabase database = ElementDatabase.Open(directory.File("element.db"));
        SqliteLeaseStore leases = new(database, new object());
        ControllerConfig config = new();
        config.Dhcp.PoolStart = "10.85.0.1";
        config.Dhcp.PoolEnd = "10.85.63.255";
        await using DhcpServerHost host = new(config, PhoneConfig, leases, IPAddress.Loopback, 0);
        using Socket client = Client();
        IPEndPoint server = new(IPAddress.Loopback, host.Port);
        for (int n = 0; n < Storm; n++)
        {
            client.SendTo(Discover(n).Encode(), server);
        }

        Assert.AreEqual(DeferredDiscoverQueue.KeptSlots, host.DeferredSlots, "before the storm");
        host.Start();
        Assert.IsTrue(SpinWait.SpinUntil(() => host.Answered == Storm, 20_000), "answered " + host.Answered + " of " + Storm);
        Assert.AreEqual((long)Storm, host.DeferredPeak, "the whole storm was read ahead");

        Assert.IsTrue(SpinWait.SpinUntil(() => host.Trims == 1, 5_000), "no trim after the storm");
        Assert.AreEqual(DeferredDiscoverQueue.KeptSlots, host.DeferredSlots, "the storm's slots were kept after the trim");
    }

    private static uint Host(string text)
    {
        Assert.IsTrue(Ipv4.TryParse(text, out uint address), text);
        return address;
    }
}
