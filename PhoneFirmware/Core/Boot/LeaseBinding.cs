using Hal;
using PhoneFirmware.Core.Storage;
using Protocol.Dhcp;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// The lease as the interface carries it: the address configured on the network interface, the
/// VLAN its traffic is tagged with, and the address remembered in flash for the next boot's
/// INIT-REBOOT.
/// </summary>
public sealed class LeaseBinding
{
    private readonly INetworkInterface _network;
    private readonly LeaseAddressStore _memory;
    private uint _rememberedAddress;
    private int _rememberedVlan;
    private uint _configuredAddress;

    public LeaseBinding(INetworkInterface network, IFlashRegion flash)
    {
        _network = network;
        _memory = new LeaseAddressStore(flash, PhoneFlashLayout.LeaseAddressOffset);
    }

    /// <summary>The VLAN the phone's traffic is tagged with, 0 for none.</summary>
    public int Vlan { get; private set; }

    public uint ConfiguredAddress => _configuredAddress;

    /// <summary>Reads the address remembered from the last boot.</summary>
    public void Load()
    {
        _rememberedAddress = _memory.Read(out _rememberedVlan);
    }

    /// <summary>The address to ask for by INIT-REBOOT on the current VLAN, or 0.</summary>
    public uint RememberedFor(int vlan)
    {
        return _rememberedVlan == vlan ? _rememberedAddress : 0;
    }

    public void Apply(DhcpLease lease)
    {
        _network.ConfigureAddress(lease.Address, lease.SubnetMask, lease.Router, lease.DnsServers);
        _configuredAddress = lease.Address;
    }

    public void Remove()
    {
        if (_configuredAddress != 0)
        {
            _network.ConfigureAddress(0, 0, 0, new uint[0]);
            _configuredAddress = 0;
        }
    }

    /// <summary>Tags (or untags) the phone's traffic; false when the driver cannot, and nothing changed.</summary>
    public bool UseVlan(int vlan)
    {
        if (vlan == Vlan)
        {
            return true;
        }

        if (!_network.UseVlan(vlan))
        {
            return false;
        }

        Vlan = vlan;
        return true;
    }

    /// <summary>The lease address (and its VLAN) survives a power cycle; 0 forgets it.</summary>
    public void Remember(uint address)
    {
        _rememberedAddress = address;
        _rememberedVlan = address == 0 ? 0 : Vlan;
        _memory.Write(_rememberedAddress, _rememberedVlan);
    }
}
