using System;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace Hal.Host;

/// <summary>
/// The emulated phone's network: real sockets on this host. On the loopback bench every socket is
/// on 127.0.0.1 and the leased address is only recorded; with an interface name (inside a network
/// namespace, as root) DHCP sockets bind to that interface so broadcasts leave by it, the leased
/// address is configured on it (`ip addr`), and a VLAN is a real sub-interface `NAME.VID`.
/// </summary>
public sealed class HostNetworkInterface : INetworkInterface
{
    private readonly IPAddress _localAddress;
    private readonly string? _interfaceName;
    private readonly TlsClientOptions? _tls;
    private string? _vlanInterface;
    private bool _createdVlanInterface;
    private string? _addressInterface;
    private string? _addressWithPrefix;

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

    /// <summary>The DNS servers of the lease (option 6), as last configured.</summary>
    public uint[] DnsServers { get; private set; } = Array.Empty<uint>();

    /// <summary>The interface the phone's traffic uses now: the VLAN sub-interface while tagged.</summary>
    public string? ActiveInterface => _vlanInterface ?? _interfaceName;

    public IDatagramSocket OpenDatagram(int localPort, bool broadcast)
    {
        if (broadcast && ActiveInterface != null)
        {
            // DHCP before the interface has an address: see InterfaceDatagramSocket.
            return new InterfaceDatagramSocket(localPort, ActiveInterface);
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

    public void ConfigureAddress(uint address, uint subnetMask, uint gateway, uint[] dnsServers)
    {
        ConfiguredAddress = address;
        DnsServers = dnsServers;
        if (ActiveInterface == null)
        {
            return;
        }

        RemoveConfiguredAddress();
        if (address == 0)
        {
            return;
        }

        // The kernel then answers ARP for the address and takes unicast for it: RENEWING needs both.
        int prefix = PrefixLength(subnetMask);
        string withPrefix = HostAddresses.ToIPAddress(address) + "/" + prefix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        IpCommand.Run("-4", "addr", "replace", withPrefix, "dev", ActiveInterface);
        _addressInterface = ActiveInterface;
        _addressWithPrefix = withPrefix;
        if (gateway != 0 && gateway != address && (gateway & subnetMask) == (address & subnetMask))
        {
            IpCommand.Run("-4", "route", "replace", "default", "via", HostAddresses.ToIPAddress(gateway).ToString(), "dev", ActiveInterface);
        }
    }

    public bool UseVlan(int vlan)
    {
        if (vlan < 0 || vlan > 4094)
        {
            throw new ArgumentOutOfRangeException(nameof(vlan), "VLAN must be 0 to 4094");
        }

        if (_interfaceName == null)
        {
            // The loopback bench cannot tag.
            return vlan == 0;
        }

        DropVlanInterface();
        if (vlan == 0)
        {
            return true;
        }

        string name = _interfaceName + "." + vlan.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (name.Length > 15)
        {
            throw new IOException("cannot name a VLAN sub-interface of '" + _interfaceName + "': '" + name + "' is longer than 15 characters");
        }

        if (!Directory.Exists("/sys/class/net/" + name))
        {
            if (!IpCommand.TryRun(out string error, "link", "add", "link", _interfaceName, "name", name, "type", "vlan", "id", vlan.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                if (error.Contains("Unknown device type", StringComparison.Ordinal))
                {
                    // A kernel without 802.1Q (CONFIG_VLAN_8021Q): this host cannot tag, the phone stays untagged.
                    return false;
                }

                throw new IOException("cannot create VLAN sub-interface " + name + ": " + error);
            }

            _createdVlanInterface = true;
        }

        IpCommand.Run("link", "set", name, "up");
        _vlanInterface = name;
        return true;
    }

    private void RemoveConfiguredAddress()
    {
        if (_addressWithPrefix != null && _addressInterface != null)
        {
            // Gone already when its VLAN sub-interface was deleted: nothing left to remove.
            IpCommand.TryRun(out _, "-4", "addr", "del", _addressWithPrefix, "dev", _addressInterface);
        }

        _addressWithPrefix = null;
        _addressInterface = null;
    }

    private void DropVlanInterface()
    {
        if (_vlanInterface != null && _createdVlanInterface)
        {
            IpCommand.Run("link", "del", _vlanInterface);
        }

        _vlanInterface = null;
        _createdVlanInterface = false;
    }

    private static int PrefixLength(uint subnetMask)
    {
        int prefix = 0;
        while (prefix < 32 && (subnetMask & (0x80000000u >> prefix)) != 0)
        {
            prefix++;
        }

        return prefix;
    }
}
