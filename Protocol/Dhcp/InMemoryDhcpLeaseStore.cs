using System.Collections;

namespace Protocol.Dhcp;

/// <summary>A lease table in memory, for simulations and for a server that need not survive restarts.</summary>
public sealed class InMemoryDhcpLeaseStore : IDhcpLeaseStore
{
    private readonly ArrayList _records = new ArrayList();

    public int Count => _records.Count;

    public DhcpLeaseRecord? FindByClient(string clientKey)
    {
        for (int i = 0; i < _records.Count; i++)
        {
            DhcpLeaseRecord record = (DhcpLeaseRecord)_records[i]!;
            if (record.ClientKey == clientKey)
            {
                return record;
            }
        }

        return null;
    }

    public DhcpLeaseRecord? FindByAddress(uint address)
    {
        for (int i = 0; i < _records.Count; i++)
        {
            DhcpLeaseRecord record = (DhcpLeaseRecord)_records[i]!;
            if (record.Address == address)
            {
                return record;
            }
        }

        return null;
    }

    public void Save(DhcpLeaseRecord record)
    {
        Remove(record.ClientKey);
        DhcpLeaseRecord copy = new DhcpLeaseRecord();
        copy.ClientKey = record.ClientKey;
        copy.Address = record.Address;
        copy.ExpiresAt = record.ExpiresAt;
        copy.State = record.State;
        _records.Add(copy);
    }

    public void Remove(string clientKey)
    {
        for (int i = 0; i < _records.Count; i++)
        {
            if (((DhcpLeaseRecord)_records[i]!).ClientKey == clientKey)
            {
                _records.RemoveAt(i);
                return;
            }
        }
    }
}
