namespace Hal;

/// <summary>The phone's one network interface: its MAC, link, sockets and address configuration.</summary>
public interface INetworkInterface
{
    /// <summary>The six-byte hardware address.</summary>
    byte[] MacAddress { get; }

    bool IsLinkUp { get; }

    /// <summary>Opens a UDP socket; port 0 picks an ephemeral one. Broadcast enables sending to 255.255.255.255.</summary>
    IDatagramSocket OpenDatagram(int localPort, bool broadcast);

    /// <summary>Starts a TCP connection; progress shows in <see cref="IStreamConnection.State"/>.</summary>
    IStreamConnection Connect(uint address, int port);

    /// <summary>
    /// Applies the address the phone's own DHCP client leased (lwIP's DHCP never sees Option 125);
    /// address 0 removes it again (lease released, expired or refused).
    /// </summary>
    void ConfigureAddress(uint address, uint subnetMask, uint gateway, uint[] dnsServers);

    /// <summary>
    /// From now on sockets opened send and receive tagged with 802.1Q VLAN <paramref name="vlan"/>
    /// (1–4094), or untagged for 0. False when this driver cannot tag: nothing changes.
    /// </summary>
    bool UseVlan(int vlan);
}
