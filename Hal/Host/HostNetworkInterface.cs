using System;
using System.Net;
using System.Net.Sockets;

namespace Hal.Host;

/// <summary>
/// The emulated phone's network: real sockets on this host. On the loopback bench every socket is
/// on 127.0.0.1 and the leased address is only recorded; with an interface name (inside a network
/// namespace) sockets bind to that interface so DHCP broadcasts leave by it.
/// </summary>
public sealed class HostNetworkInterface : INetworkInterface
{
    private readonly IPAddress _localAddress;
    private readonly string? _interfaceName;
    private readonly TlsClientOptions? _tls;

    /// <param name="tls">When set, every call-server link is TLS (see <see cref="TlsStreamConnection"/>).</param>
    public HostNetworkInterface(byte[] macAddress, IPAddress localAddress, string? interfaceName, TlsClientOptions? tls = null)
    {
        if (macAddress.Length != 6)
        {
            throw new ArgumentException("a MAC address has six bytes");
        }

        MacAddress = macAddress;
        _localAddress = localAddress;
        _interfaceName = interfaceName;
        _tls = tls;
    }

    /// <summary>Why a TLS link failed (target, reason), on the thread that polled it.</summary>
    public event Action<string, string>? TlsFailed;

    public byte[] MacAddress { get; }

    public bool IsLinkUp => true;

    /// <summary>The address the phone's DHCP client leased, as last configured.</summary>
    public uint ConfiguredAddress { get; private set; }

    public IDatagramSocket OpenDatagram(int localPort, bool broadcast)
    {
        if (broadcast && _interfaceName != null)
        {
            // DHCP before the interface has an address: see InterfaceDatagramSocket.
            return new InterfaceDatagramSocket(localPort, _interfaceName);
        }

        return new UdpDatagramSocket(_localAddress, localPort, broadcast, null);
    }

    public IStreamConnection Connect(uint address, int port)
    {
        IPAddress target = HostAddresses.ToIPAddress(address);
        if (_tls != null)
        {
            string endpoint = target + ":" + port;
            return new TlsStreamConnection(target, port, _tls, reason => TlsFailed?.Invoke(endpoint, reason));
        }

        return new TcpStreamConnection(target, port);
    }

    public uint ResolveHost(string name)
    {
        try
        {
            foreach (IPAddress candidate in Dns.GetHostAddresses(name))
            {
                if (candidate.AddressFamily == AddressFamily.InterNetwork)
                {
                    return HostAddresses.FromIPAddress(candidate);
                }
            }
        }
        catch (SocketException)
        {
            // unresolvable: the caller moves on to the next server
        }

        return 0;
    }

    public void ConfigureAddress(uint address, uint subnetMask, uint gateway, uint[] dnsServers)
    {
        ConfiguredAddress = address;
    }
}
