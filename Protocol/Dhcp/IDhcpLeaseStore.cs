namespace Protocol.Dhcp;

/// <summary>Where the server keeps its leases; the controller backs it with SQLite, tests with memory.</summary>
public interface IDhcpLeaseStore
{
    DhcpLeaseRecord? FindByClient(string clientKey);

    DhcpLeaseRecord? FindByAddress(uint address);

    /// <summary>Inserts or replaces the client's record. The address must not belong to another record.</summary>
    void Save(DhcpLeaseRecord record);

    void Remove(string clientKey);
}
