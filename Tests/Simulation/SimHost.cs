using System;
using System.Collections.Generic;
using Hal;

namespace Tests.Simulation;

/// <summary>A machine on the simulated network; the phone core sees it as its network interface.</summary>
public sealed class SimHost : INetworkInterface
{
    private readonly Dictionary<int, SimDatagramSocket> _sockets = new();
    private readonly Dictionary<int, SimStreamListener> _listeners = new();
    private readonly List<SimStreamConnection> _streams = new();
    private int _nextEphemeralPort = 49152;
    private int? _nextVlan;

    internal SimHost(SimNetwork network, string name, byte[] mac, uint address)
    {
        Network = network;
        Name = name;
        MacAddress = mac;
        Address = address;
    }

    public SimNetwork Network { get; }

    public string Name { get; }

    public byte[] MacAddress { get; }

    /// <summary>The configured address; 0 until DHCP has bound one (for a phone).</summary>
    public uint Address { get; set; }

    public bool IsLinkUp { get; set; } = true;

    public IDatagramSocket OpenDatagram(int localPort, bool broadcast)
    {
        return Bind(localPort);
    }

    public SimDatagramSocket Bind(int localPort)
    {
        if (_nextVlan.HasValue)
        {
            Vlan = _nextVlan.Value;
            _nextVlan = null;
        }

        int port = localPort == 0 ? NextEphemeralPort() : localPort;
        if (_sockets.ContainsKey(port))
        {
            throw new InvalidOperationException(Name + ": port " + port + " already in use");
        }

        SimDatagramSocket socket = new(this, port);
        _sockets[port] = socket;
        return socket;
    }

    public SimStreamListener Listen(int port)
    {
        SimStreamListener listener = new(port);
        _listeners[port] = listener;
        return listener;
    }

    public void StopListening(int port)
    {
        _listeners.Remove(port);
    }

    public IStreamConnection Connect(uint address, int port)
    {
        SimStreamConnection client = new(Network, this, StreamState.Connecting);
        _streams.Add(client);
        client.Deliver(() =>
        {
            SimHost? server = Network.FindHost(address);
            if (client.State != StreamState.Connecting)
            {
                return;
            }

            if (server == null || !server.IsLinkUp || !IsLinkUp || !server._listeners.TryGetValue(port, out SimStreamListener? listener))
            {
                client.State = StreamState.Failed; // refused or unreachable
                return;
            }

            SimStreamConnection accepted = new(Network, server, StreamState.Connected) { Peer = client };
            client.Peer = accepted;
            server._streams.Add(accepted);
            listener.Enqueue(accepted);
            accepted.Deliver(() =>
            {
                if (client.State == StreamState.Connecting)
                {
                    client.State = StreamState.Connected;
                }
            });
        });
        return client;
    }

    /// <summary>A reboot: every socket and listener gone, streams abandoned without a word, no address.</summary>
    public void Reset()
    {
        foreach (SimDatagramSocket socket in new List<SimDatagramSocket>(_sockets.Values))
        {
            socket.Close();
        }

        foreach (SimStreamConnection stream in _streams)
        {
            stream.Abandon();
        }

        _streams.Clear();
        _listeners.Clear();
        if (ResetsAddress)
        {
            // A reboot also forgets the VLAN: every boot starts untagged.
            Address = 0;
            Vlan = 0;
            _nextVlan = null;
        }
    }

    /// <summary>Connected streams this host closed after giving up its address (their peers never heard).</summary>
    public int StreamsClosedWithoutAddress { get; internal set; }

    /// <summary>True for DHCP clients: a reboot forgets the address.</summary>
    public bool ResetsAddress { get; set; } = true;

    public void ConfigureAddress(uint address, uint subnetMask, uint gateway, uint[] dnsServers)
    {
        Address = address;
    }

    /// <summary>The 802.1Q VLAN this host's datagrams are tagged with (0 untagged); datagrams reach only hosts on the same VLAN.</summary>
    public int Vlan { get; set; }

    /// <summary>Whether the phone may tag (a device driver that cannot says no to <see cref="UseVlan"/>).</summary>
    public bool CanTag { get; set; }

    /// <summary>As on the host driver, the VLAN applies to sockets opened afterwards: it takes effect at the next bind.</summary>
    public bool UseVlan(int vlan)
    {
        if (vlan != 0 && !CanTag)
        {
            return false;
        }

        _nextVlan = vlan;
        return true;
    }

    internal bool DeliverDatagram(uint source, int sourcePort, int port, byte[] data)
    {
        if (!_sockets.TryGetValue(port, out SimDatagramSocket? socket))
        {
            return false;
        }

        socket.Enqueue(data, source, sourcePort);
        return true;
    }

    internal void Unbind(int port)
    {
        _sockets.Remove(port);
    }

    private int NextEphemeralPort()
    {
        while (_sockets.ContainsKey(_nextEphemeralPort))
        {
            _nextEphemeralPort = _nextEphemeralPort >= 65535 ? 49152 : _nextEphemeralPort + 1;
        }

        int port = _nextEphemeralPort;
        _nextEphemeralPort = _nextEphemeralPort >= 65535 ? 49152 : _nextEphemeralPort + 1;
        return port;
    }
}
