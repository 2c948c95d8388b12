using System;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Hal.Esp32;

/// <summary>
/// The board's one network interface (Ethernet or Wi-Fi station) on nanoFramework's System.Net.
/// The phone runs its own DHCP client (lwIP's never shows managed code Option 125), so this
/// driver's jobs are: free UDP port 68 and give lwIP an address it can send broadcasts from
/// (the profile's address bootstrap), report the link, open sockets, and apply the address the
/// phone's DHCP leased as a static configuration. It makes no protocol decision.
/// </summary>
public sealed class Esp32NetworkInterface : INetworkInterface
{
    private readonly int _index;
    private readonly bool _nativeLeaseBootstrap;
    private NetworkInterface _nic;
    private bool _bootstrapped;
    private readonly DriverFaults _faults;
    private uint _configuredAddress;
    private string _configuredDns = string.Empty;

    /// <summary>
    /// Sets up the address bootstrap and, on a Wi-Fi board, joins the network (<see cref="WifiJoin"/>:
    /// blocks for at most <see cref="WifiJoin.TimeoutMilliseconds"/>, before the step loop runs).
    /// A failed join is reported to <paramref name="faults"/>; the firmware keeps retrying.
    /// </summary>
    public Esp32NetworkInterface(BoardProfile profile, DriverFaults faults)
    {
        _faults = faults;
        NetworkInterfaceType type = profile.Network == "wifi" ? NetworkInterfaceType.Wireless80211 : NetworkInterfaceType.Ethernet;
        _index = FindInterface(type);
        _nic = NetworkInterface.GetAllNetworkInterfaces()[_index];
        _nativeLeaseBootstrap = profile.AddressBootstrap == "native-lease";
        MacAddress = Copy(_nic.PhysicalAddress);

        if (_nativeLeaseBootstrap)
        {
            if (!_nic.IsDhcpEnabled)
            {
                _nic.EnableDhcp();
            }
        }
        else if (_nic.IsDhcpEnabled)
        {
            // lwIP's DHCP client holds port 68; with "none" the phone's client sends from 0.0.0.0.
            _nic.EnableStaticIPv4("0.0.0.0", "0.0.0.0", "0.0.0.0");
        }

        if (type == NetworkInterfaceType.Wireless80211)
        {
            string? problem = WifiJoin.Join(profile, StoredCredentialsMatch(profile.WifiSsid, profile.WifiPassword));
            if (problem != null)
            {
                _faults.Report("wifi", problem);
            }

            Refresh();
        }
    }

    public byte[] MacAddress { get; }

    /// <summary>
    /// Link up and, with the "native-lease" bootstrap, lwIP's lease pinned as a static address
    /// (which stops lwIP's DHCP client and frees port 68 for the phone's own).
    /// </summary>
    public bool IsLinkUp
    {
        get
        {
            if (!NetworkInterface.GetIsNetworkAvailable())
            {
                return false;
            }

            if (!_bootstrapped)
            {
                _bootstrapped = !_nativeLeaseBootstrap || PinNativeLease();
            }

            return _bootstrapped;
        }
    }

    public IDatagramSocket OpenDatagram(int localPort, bool broadcast)
    {
        return new Esp32DatagramSocket(localPort, broadcast, _faults);
    }

    public IStreamConnection Connect(uint address, int port)
    {
        return new Esp32StreamConnection(address, port);
    }

    /// <summary>nanoFramework's network API cannot tag frames: the phone stays untagged.</summary>
    public bool UseVlan(int vlan)
    {
        return vlan == 0;
    }

    /// <summary>
    /// Applies the phone's lease as lwIP's static configuration. Each nanoFramework
    /// <c>Enable*</c> call sleeps 100 ms and reloads the settings inside the library (System.Net
    /// 1.11.54 NetworkInterface.ReloadSettings), and the API has no asynchronous form, so this
    /// blocks the step loop: at most two calls (address, DNS), about 200-300 ms, and only when
    /// the lease's address or DNS servers changed, so a renewal of the same lease costs nothing.
    /// The core's timers are seconds long (DHCP retransmission, TFTP and call-server timeouts), so
    /// one such pause per new lease delays a step but trips none of them.
    /// </summary>
    public void ConfigureAddress(uint address, uint subnetMask, uint gateway, uint[] dnsServers)
    {
        if (address == 0)
        {
            // lwIP keeps the static address until the next lease replaces it; nothing is sent from it meanwhile.
            return;
        }

        if (address != _configuredAddress)
        {
            _nic.EnableStaticIPv4(Ipv4Address.Format(address), Ipv4Address.Format(subnetMask), Ipv4Address.Format(gateway));
            _configuredAddress = address;
        }

        if (dnsServers.Length > 0)
        {
            // nanoFramework takes one or two DNS servers.
            string[] dns = new string[dnsServers.Length > 1 ? 2 : 1];
            string joined = string.Empty;
            for (int i = 0; i < dns.Length; i++)
            {
                dns[i] = Ipv4Address.Format(dnsServers[i]);
                joined += dns[i] + " ";
            }

            if (joined != _configuredDns)
            {
                _nic.EnableStaticIPv4Dns(dns);
                _configuredDns = joined;
            }
        }

        Refresh();
    }

    private static int FindInterface(NetworkInterfaceType type)
    {
        NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].NetworkInterfaceType == type)
            {
                return i;
            }
        }

        throw new InvalidOperationException("the firmware has no network interface of the profile's type");
    }

    private static byte[] Copy(byte[] bytes)
    {
        byte[] copy = new byte[bytes.Length];
        Array.Copy(bytes, copy, bytes.Length);
        return copy;
    }

    private bool PinNativeLease()
    {
        Refresh();
        string address = _nic.IPv4Address;
        if (address == null || address.Length == 0 || address == "0.0.0.0")
        {
            return false; // lwIP's DHCP has no lease yet
        }

        _nic.EnableStaticIPv4(address, _nic.IPv4SubnetMask, _nic.IPv4GatewayAddress);
        Refresh();
        return true;
    }

    // NetworkInterface objects are snapshots of the native configuration: read it again after a change.
    private void Refresh()
    {
        _nic = NetworkInterface.GetAllNetworkInterfaces()[_index];
    }

    // True when the firmware's stored Wi-Fi configuration already holds these credentials (then the
    // boot join waits for the firmware's own auto-connect instead of writing the configuration again).
    private bool StoredCredentialsMatch(string ssid, string password)
    {
        Wireless80211Configuration[] configurations = Wireless80211Configuration.GetAllWireless80211Configurations();
        uint id = _nic.SpecificConfigId;
        if (id >= configurations.Length)
        {
            return false;
        }

        Wireless80211Configuration configuration = configurations[id];
        return configuration.Ssid == ssid && configuration.Password == password;
    }
}
