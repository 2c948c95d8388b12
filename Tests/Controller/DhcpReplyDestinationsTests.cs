using System.Net;
using System.Net.Sockets;
using Controller.Dhcp;
using Protocol.Common;

namespace Tests.Controller;

/// <summary>
/// Where the DHCP host sends a reply (RFC 2131 §4.1) and how it keeps those addresses: the paths
/// a loopback bench never takes (relay, broadcast, ciaddr) are driven here directly.
/// </summary>
[TestClass]
public sealed class DhcpReplyDestinationsTests
{
    [TestMethod]
    public void ALoopbackSenderIsAnsweredAtItsOwnAddressAndPortWhateverTheServerSays()
    {
        DhcpReplyDestinations destinations = new();
        SocketAddress source = Address("127.45.67.89", 40123);

        SocketAddress reply = destinations.For(source, Ipv4.Broadcast, Host("10.20.30.1"));

        Assert.AreEqual(new IPEndPoint(IPAddress.Parse("127.45.67.89"), 40123), EndPointOf(reply));
        Assert.AreNotSame(source, reply, "the source buffer is reused for the next request: the reply needs a copy");
    }

    [TestMethod]
    public void ABroadcastReplyGoesToTheClientPortOfTheLimitedBroadcast()
    {
        DhcpReplyDestinations destinations = new();

        SocketAddress reply = destinations.For(Address("192.0.2.50", 68), Ipv4.Broadcast, 0);

        Assert.AreEqual(new IPEndPoint(IPAddress.Broadcast, DhcpReplyDestinations.ClientPort), EndPointOf(reply));
    }

    [TestMethod]
    public void AReplyToTheRelayGoesToItsServerPort()
    {
        DhcpReplyDestinations destinations = new();
        uint relay = Host("10.20.30.1");

        SocketAddress reply = destinations.For(Address("10.20.30.1", 67), relay, relay);

        Assert.AreEqual(new IPEndPoint(IPAddress.Parse("10.20.30.1"), DhcpReplyDestinations.ServerPort), EndPointOf(reply));
    }

    [TestMethod]
    public void AReplyToAClientAddressGoesToTheClientPortWithOrWithoutARelayInTheRequest()
    {
        DhcpReplyDestinations destinations = new();
        SocketAddress source = Address("192.0.2.50", 68);

        SocketAddress direct = destinations.For(source, Host("10.20.30.44"), 0);
        SocketAddress besideARelay = destinations.For(source, Host("10.20.30.45"), Host("10.20.30.1"));

        Assert.AreEqual(new IPEndPoint(IPAddress.Parse("10.20.30.44"), DhcpReplyDestinations.ClientPort), EndPointOf(direct));
        Assert.AreEqual(new IPEndPoint(IPAddress.Parse("10.20.30.45"), DhcpReplyDestinations.ClientPort), EndPointOf(besideARelay), "a reply not to the relay goes to the client's port");
    }

    [TestMethod]
    public void ADestinationAskedForAgainIsTheOneKeptAndNeighboursAreKeptApart()
    {
        DhcpReplyDestinations destinations = new();
        SocketAddress source = Address("192.0.2.50", 68);

        SocketAddress first = destinations.For(source, Host("10.20.30.44"), 0);
        SocketAddress neighbour = destinations.For(source, Host("10.20.30.45"), 0);
        SocketAddress again = destinations.For(source, Host("10.20.30.44"), 0);

        Assert.AreEqual(new IPEndPoint(IPAddress.Parse("10.20.30.45"), DhcpReplyDestinations.ClientPort), EndPointOf(neighbour), "an address one apart is a destination of its own");
        Assert.AreSame(first, again, "a destination seen before is not built again");
        Assert.AreEqual(2, destinations.CachedCount);
    }

    [TestMethod]
    public void TheCacheIsClearedWhenItHoldsItsLimitBeforeTheNextIsAdded()
    {
        DhcpReplyDestinations destinations = new();
        SocketAddress source = Address("192.0.2.50", 68);
        uint first = Host("10.21.0.0");
        for (uint n = 0; n < DhcpReplyDestinations.MaxCached; n++)
        {
            destinations.For(source, first + n, 0);
        }

        Assert.AreEqual(DhcpReplyDestinations.MaxCached, destinations.CachedCount, "the limit itself is kept");

        SocketAddress beyond = destinations.For(source, first + DhcpReplyDestinations.MaxCached, 0);

        Assert.AreEqual(1, destinations.CachedCount, "one more than the limit starts the cache afresh");
        Assert.AreEqual(new IPEndPoint(IPAddress.Parse("10.21.4.0"), DhcpReplyDestinations.ClientPort), EndPointOf(beyond));
    }

    [TestMethod]
    public void TheRelayAddressIsReadFromBytes24To27OfARequestLongEnoughToHoldThem()
    {
        byte[] request = new byte[300];
        request[24] = 10;
        request[25] = 20;
        request[26] = 30;
        request[27] = 1;

        Assert.AreEqual(Host("10.20.30.1"), DhcpReplyDestinations.RelayAddress(request, 28));
        Assert.AreEqual(Host("10.20.30.1"), DhcpReplyDestinations.RelayAddress(request, 300));
        Assert.AreEqual(0u, DhcpReplyDestinations.RelayAddress(request, 27), "a datagram cut before giaddr's last byte has no relay");
    }

    private static SocketAddress Address(string ip, int port)
    {
        return new IPEndPoint(IPAddress.Parse(ip), port).Serialize();
    }

    private static IPEndPoint EndPointOf(SocketAddress address)
    {
        return (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(address);
    }

    private static uint Host(string text)
    {
        Assert.IsTrue(Ipv4.TryParse(text, out uint address), text);
        return address;
    }
}
