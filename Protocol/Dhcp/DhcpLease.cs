namespace Protocol.Dhcp;

/// <summary>A bound lease as the client sees it, with the phone configuration it carried.</summary>
public sealed class DhcpLease
{
    public uint Address { get; set; }

    public uint SubnetMask { get; set; }

    public uint Router { get; set; }

    public uint[] DnsServers { get; set; } = new uint[0];

    public uint ServerIdentifier { get; set; }

    /// <summary>Lease length in seconds; <see cref="uint.MaxValue"/> means infinite.</summary>
    public long LeaseSeconds { get; set; }

    public long RenewalSeconds { get; set; }

    public long RebindingSeconds { get; set; }

    /// <summary>When the lease (or its last renewal) was acknowledged, in the caller's milliseconds.</summary>
    public long AcquiredAt { get; set; }

    public IpPhoneConfig PhoneConfig { get; set; } = new IpPhoneConfig();
}
