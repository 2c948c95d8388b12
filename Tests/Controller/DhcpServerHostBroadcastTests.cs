using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Controller.Dhcp;
using Protocol.Dhcp;
using Tests.Interop.Support;
using Tests.Reliability;
using static Tests.Controller.DhcpServerHostWire;

namespace Tests.Controller;

/// <summary>
/// The DHCP host on a real segment of its own (a fresh namespace pair, random names, so parallel
/// runs never share it): a client without a lease is answered by broadcast to port 68, which the
/// kernel sends only from a socket with SO_BROADCAST (without it sendto fails with EACCES).
/// The host is made on a thread inside the server namespace, so its socket lives there.
/// </summary>
[TestClass]
public sealed class DhcpServerHostBroadcastTests
{
    [TestMethod]
    public async Task AClientWithoutAnAddressGetsItsOfferByBroadcastOnTheSegment()
    {
        using NetworkNamespacePair pair = new("bcast");

        // The client's own address only gives its DISCOVER a source that is not loopback (the
        // bench's loopback clients are answered at their port instead); ciaddr stays 0.
        (int exit, string output) = pair.Run(pair.ClientNamespace, "/usr/sbin/ip", "addr add " + pair.Address(2) + "/24 dev " + pair.ClientInterface, "/", TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, exit, output);
        ControllerConfig config = new();
        config.Dhcp.PoolStart = pair.Address(100);
        config.Dhcp.PoolEnd = pair.Address(110);
        IPAddress listen = IPAddress.Parse(pair.ServerAddress);
        await using DhcpServerHost host = NamespaceUdpSocket.Inside(pair.ServerNamespace, () => new DhcpServerHost(config, PhoneConfig, new InMemoryDhcpLeaseStore(), listen, DhcpReplyDestinations.ServerPort));
        Assert.AreEqual(pair.ServerInterface, host.Interface, "the host did not bind to the interface owning " + listen);
        host.Start();
        using Socket client = NamespaceUdpSocket.Open(pair.ClientNamespace, pair.ClientInterface, new IPEndPoint(IPAddress.Any, DhcpReplyDestinations.ClientPort));
        client.ReceiveTimeout = 5_000;

        client.SendTo(Discover(1).Encode(), new IPEndPoint(IPAddress.Broadcast, DhcpReplyDestinations.ServerPort));

        Assert.IsTrue(SpinWait.SpinUntil(() => host.Answered + host.Dropped > 0, 5_000), "the broadcast DISCOVER was not heard");
        Assert.AreEqual(0L, host.Dropped, "the broadcast OFFER could not be sent (no SO_BROADCAST: EACCES)");
        byte[] buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int received = client.ReceiveFrom(buffer, ref from);
        DhcpMessage offer = DhcpMessage.Parse(buffer, 0, received);
        Assert.AreEqual(DhcpMessageType.Offer, offer.MessageType);
        Assert.AreEqual(pair.Address(100), Protocol.Common.Ipv4.Format(offer.YourAddress));
        Assert.AreEqual(listen, ((IPEndPoint)from).Address, "the OFFER came from elsewhere than the host");
    }
}
