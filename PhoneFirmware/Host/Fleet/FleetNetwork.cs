using System;
using System.Collections.Generic;
using System.Net;
using Hal;
using Hal.Host;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// One fleet phone's network: real sockets on this host (on <c>--bind</c>), each one watched by
/// the phone's worker so the phone is stepped when it becomes readable. DHCP goes to the server
/// from a socket of its own (loopback: our controller answers that port) or, in relay mode,
/// through the fleet's <see cref="DhcpRelayAgent"/>. The leased address is only recorded: TFTP
/// and the call server see the fleet's address, as on the loopback bench.
/// </summary>
public sealed class FleetNetwork : INetworkInterface
{
    private readonly IPAddress _localAddress;
    private readonly DhcpRelayAgent? _relay;
    private readonly List<IDisposable> _open = new();

    public FleetNetwork(byte[] macAddress, IPAddress localAddress, FleetWorker worker, DhcpRelayAgent? relay)
    {
        MacAddress = macAddress;
        _localAddress = localAddress;
        Worker = worker;
        _relay = relay;
    }

    public byte[] MacAddress { get; }

    public bool IsLinkUp => true;

    public FleetWorker Worker { get; }

    /// <summary>The phone these sockets wake; set once by the phone.</summary>
    public FleetPhone? Owner { get; set; }

    /// <summary>The address the phone's DHCP client leased, as last configured.</summary>
    public uint ConfiguredAddress { get; private set; }

    public IDatagramSocket OpenDatagram(int localPort, bool broadcast)
    {
        if (broadcast && _relay != null)
        {
            RelayedDhcpSocket relayed = new(_relay, MacAddress, Worker, Owner!);
            _open.Add(relayed);
            return relayed;
        }

        WatchedDatagramSocket socket = new(FleetPorts.Open(_localAddress, localPort, broadcast), this);
        _open.Add(socket);
        return socket;
    }

    public IStreamConnection Connect(uint address, int port)
    {
        WatchedStreamConnection connection = new(HostAddresses.ToIPAddress(address), port, this);
        _open.Add(connection);
        return connection;
    }

    public void ConfigureAddress(uint address, uint subnetMask, uint gateway, uint[] dnsServers)
    {
        ConfiguredAddress = address;
    }

    public bool UseVlan(int vlan)
    {
        // A fleet shares one link: it cannot tag per phone.
        return vlan == 0;
    }

    /// <summary>Closes whatever the core left open (at shutdown).</summary>
    public void CloseAll()
    {
        foreach (IDisposable socket in _open.ToArray())
        {
            socket.Dispose();
        }
    }

    internal void Closed(IDisposable socket)
    {
        _open.Remove(socket);
    }
}
