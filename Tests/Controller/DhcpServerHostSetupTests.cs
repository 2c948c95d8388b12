using System;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Controller.Dhcp;
using Protocol.Common;
using Protocol.Dhcp;
using static Tests.Controller.DhcpServerHostWire;

namespace Tests.Controller;

/// <summary>
/// The DHCP host's setup and stop: the server configuration it builds from the controller's,
/// the interface it binds to for a listen address on a real interface (and only there, and only
/// one host per interface and port), and a stop that waits for the request in hand and frees the
/// port, started or not.
/// </summary>
[TestClass]
public sealed class DhcpServerHostSetupTests
{
    [TestMethod]
    public void TheServerIdentifierIsTheAdvertisedAddressWhenSetElseTheListenAddress()
    {
        ControllerConfig config = new();
        Assert.AreEqual(Host("127.0.0.1"), DhcpServerHost.BuildConfig(config, PhoneConfig, IPAddress.Loopback).ServerAddress);

        config.AdvertisedAddress = "192.0.2.9";
        Assert.AreEqual(Host("192.0.2.9"), DhcpServerHost.BuildConfig(config, PhoneConfig, IPAddress.Loopback).ServerAddress);
    }

    [TestMethod]
    public void TheConfiguredReservationsReachTheServerUnderTheClientsKey()
    {
        ControllerConfig config = new();
        config.Dhcp.Reservations["02-00-00-00-17-09"] = "10.77.0.60";

        DhcpServerConfig server = DhcpServerHost.BuildConfig(config, PhoneConfig, IPAddress.Loopback);

        Assert.AreEqual(Host("10.77.0.60"), server.ReservedAddress(DhcpServer.ClientKey(new byte[] { 2, 0, 0, 0, 0x17, 9 })));
    }

    [TestMethod]
    public void AnAddressInTheConfigThatIsNoIpv4AddressIsRefusedNamingIt()
    {
        ControllerConfig config = new();
        config.Dhcp.PoolEnd = "10.77.0.999";

        ConfigException e = Assert.ThrowsExactly<ConfigException>(() => DhcpServerHost.BuildConfig(config, PhoneConfig, IPAddress.Loopback));

        Assert.AreEqual("not an IPv4 address: '10.77.0.999'", e.Message);
    }

    [TestMethod]
    public async Task OnAnInterfacesAddressTheHostBindsToThatInterfaceAndHearsNothingFromLoopback()
    {
        (string name, IPAddress address) = FirstNonLoopbackIpv4();
        await using DhcpServerHost host = new(new ControllerConfig(), PhoneConfig, new InMemoryDhcpLeaseStore(), address, 0);
        Assert.AreEqual(name, host.Interface);
        host.Start();
        using Socket client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        // Relayed (giaddr = the interface's own address): the OFFER goes to that address's port
        // 67, not broadcast onto the segment.
        DhcpMessage discover = Discover(1);
        discover.RelayAddress = Host(address.ToString());
        client.SendTo(discover.Encode(), new IPEndPoint(IPAddress.Loopback, host.Port));
        client.SendTo(discover.Encode(), new IPEndPoint(address, host.Port));

        Assert.IsTrue(SpinWait.SpinUntil(() => host.Answered >= 1, 5_000), "the DISCOVER to " + address + " was not answered (dropped " + host.Dropped + ")");
        Assert.IsFalse(SpinWait.SpinUntil(() => host.Answered > 1, 500), "the DISCOVER sent over loopback was answered: the socket is not bound to " + name);
        Assert.AreEqual(0L, host.Dropped);
    }

    [TestMethod]
    public async Task OnLoopbackOrTheWildcardAddressTheHostBindsToNoInterface()
    {
        await using DhcpServerHost loopback = new(new ControllerConfig(), PhoneConfig, new InMemoryDhcpLeaseStore(), IPAddress.Loopback, 0);
        await using DhcpServerHost any = new(new ControllerConfig(), PhoneConfig, new InMemoryDhcpLeaseStore(), IPAddress.Any, 0);

        Assert.IsNull(loopback.Interface);
        Assert.IsNull(any.Interface);
    }

    [TestMethod]
    public async Task AStoppedHostFreesItsPortWhetherItWasStartedOrNot()
    {
        DhcpServerHost neverStarted = new(new ControllerConfig(), PhoneConfig, new InMemoryDhcpLeaseStore(), IPAddress.Loopback, 0);
        int port = neverStarted.Port;
        Task stop = neverStarted.DisposeAsync().AsTask();
        Assert.AreSame(stop, await Task.WhenAny(stop, Task.Delay(5_000)), "stopping a host that never started waits for a loop that never ran");
        AssertPortFree(port);

        DhcpServerHost started = new(new ControllerConfig(), PhoneConfig, new InMemoryDhcpLeaseStore(), IPAddress.Loopback, 0);
        started.Start();
        port = started.Port;
        stop = started.DisposeAsync().AsTask();
        Assert.AreSame(stop, await Task.WhenAny(stop, Task.Delay(5_000)), "the receive loop did not stop");
        AssertPortFree(port);
    }

    [TestMethod]
    public async Task StoppingWaitsForTheRequestInHandToBeAnsweredBeforeTheSocketCloses()
    {
        HeldLeaseStore leases = new();
        DhcpServerHost host = new(new ControllerConfig(), PhoneConfig, leases, IPAddress.Loopback, 0);
        host.Start();
        using Socket client = Client();
        client.SendTo(Discover(1).Encode(), new IPEndPoint(IPAddress.Loopback, host.Port));
        Assert.IsTrue(leases.Entered.Wait(5_000), "the DISCOVER did not reach the lease store");

        // The loop is inside Save now: the stop must not complete until the loop has left.
        Task stop = host.DisposeAsync().AsTask();
        bool stoppedWhileHeld = stop.IsCompleted;
        leases.Release.Set();

        Assert.IsFalse(stoppedWhileHeld, "DisposeAsync returned while the receive loop was still handling a request");
        Assert.AreSame(stop, await Task.WhenAny(stop, Task.Delay(5_000)), "the loop did not stop once its request was done");
        Assert.AreEqual(DhcpMessageType.Offer, Receive(client).MessageType, "the request in hand was not answered before the socket closed");
    }

    [TestMethod]
    public async Task ASecondHostOnTheSameInterfaceAndPortIsRefused()
    {
        (string name, IPAddress address) = FirstNonLoopbackIpv4();
        await using DhcpServerHost first = new(new ControllerConfig(), PhoneConfig, new InMemoryDhcpLeaseStore(), address, 0);
        Assert.AreEqual(name, first.Interface);

        // Two servers sharing one segment's port would both answer every broadcast DISCOVER.
        SocketException e = Assert.ThrowsExactly<SocketException>(() => new DhcpServerHost(new ControllerConfig(), PhoneConfig, new InMemoryDhcpLeaseStore(), address, first.Port));

        Assert.AreEqual(SocketError.AddressAlreadyInUse, e.SocketErrorCode);
    }

    private static void AssertPortFree(int port)
    {
        using Socket again = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(new IPEndPoint(IPAddress.Loopback, port));
        Assert.AreEqual(port, ((IPEndPoint)again.LocalEndPoint!).Port);
    }

    private static (string Name, IPAddress Address) FirstNonLoopbackIpv4()
    {
        foreach (NetworkInterface candidate in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (candidate.OperationalStatus != OperationalStatus.Up || candidate.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (UnicastIPAddressInformation unicast in candidate.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return (candidate.Name, unicast.Address);
                }
            }
        }

        Assert.Inconclusive("no interface with an IPv4 address other than loopback on this machine");
        return (string.Empty, IPAddress.None);
    }

    // A lease store whose first Save waits for the test: the receive loop is held inside a request.
    private sealed class HeldLeaseStore : IDhcpLeaseStore
    {
        private readonly InMemoryDhcpLeaseStore _leases = new();

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public DhcpLeaseRecord? FindByClient(string clientKey)
        {
            return _leases.FindByClient(clientKey);
        }

        public DhcpLeaseRecord? FindByAddress(uint address)
        {
            return _leases.FindByAddress(address);
        }

        public void Save(DhcpLeaseRecord record)
        {
            Entered.Set();
            Release.Wait();
            _leases.Save(record);
        }

        public void Remove(string clientKey)
        {
            _leases.Remove(clientKey);
        }
    }

    private static uint Host(string text)
    {
        Assert.IsTrue(Ipv4.TryParse(text, out uint address), text);
        return address;
    }
}
