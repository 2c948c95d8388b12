using PhoneFirmware.Core.Events;
using Protocol.Common;
using Protocol.Dhcp;

namespace PhoneFirmware.Core.Boot;

/// <summary>What the DHCP outcomes are published as (dhcp.bound, dhcp.renewed, dhcp.rebound): the fields lab scripts read.</summary>
public static class DhcpEvents
{
    public static PhoneEvent Bound(DhcpLease lease, string via, int onVlan)
    {
        IpPhoneConfig config = lease.PhoneConfig;
        return new PhoneEvent(EventNames.DhcpBound)
            .With("address", Ipv4.Format(lease.Address))
            .With("subnetMask", Ipv4.Format(lease.SubnetMask))
            .With("router", Ipv4.Format(lease.Router))
            .With("server", Ipv4.Format(lease.ServerIdentifier))
            .With("leaseSeconds", lease.LeaseSeconds)
            .With("via", via)
            .With("onVlan", onVlan)
            .With("option", config.SourceOption)
            .With("encoding", config.SubOption)
            .With("callServers", EndpointTexts(config.CallServers))
            .With("tftpServers", EndpointTexts(config.TftpServers))
            .With("vlan", config.Vlan)
            .With("priority", config.Priority)
            .With("dscp", config.Dscp);
    }

    /// <summary>network.static: the static address and servers in use (no DHCP), with dhcp.bound's field names.</summary>
    public static PhoneEvent Static(DhcpLease lease)
    {
        IpPhoneConfig config = lease.PhoneConfig;
        return new PhoneEvent(EventNames.StaticAddress)
            .With("address", Ipv4.Format(lease.Address))
            .With("subnetMask", Ipv4.Format(lease.SubnetMask))
            .With("router", Ipv4.Format(lease.Router))
            .With("callServers", EndpointTexts(config.CallServers))
            .With("tftpServers", EndpointTexts(config.TftpServers));
    }

    public static PhoneEvent Renewed(DhcpLease lease, string eventName, int onVlan)
    {
        return new PhoneEvent(eventName)
            .With("address", Ipv4.Format(lease.Address))
            .With("server", Ipv4.Format(lease.ServerIdentifier))
            .With("leaseSeconds", lease.LeaseSeconds)
            .With("onVlan", onVlan);
    }

    private static string[] EndpointTexts(ServerEndpoint[] endpoints)
    {
        string[] texts = new string[endpoints.Length];
        for (int i = 0; i < endpoints.Length; i++)
        {
            ServerEndpoint endpoint = endpoints[i];
            texts[i] = endpoint.Port != 0 ? endpoint.Host + ":" + endpoint.Port.ToString() : endpoint.Host;
        }

        return texts;
    }
}
