namespace Protocol.Dhcp;

/// <summary>One row of the server's lease table.</summary>
public sealed class DhcpLeaseRecord
{
    /// <summary>The client's MAC as <c>aa:bb:cc:dd:ee:ff</c>, or <c>declined:ADDRESS</c> for a declined address.</summary>
    public string ClientKey { get; set; } = string.Empty;

    public uint Address { get; set; }

    /// <summary>Expiry in the server's milliseconds (the host passes wall-clock Unix time so leases survive restarts).</summary>
    public long ExpiresAt { get; set; }

    public DhcpLeaseState State { get; set; }
}
