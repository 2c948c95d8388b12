using System.Collections;
using Protocol.Dhcp;

namespace Tests.Portable.Support;

/// <summary>
/// A lease table in memory with lookups by hash bucket, for tests with thousands of clients:
/// <see cref="InMemoryDhcpLeaseStore"/> walks every record per lookup, which a 10,000-phone storm
/// turns into hundreds of millions of comparisons. Portable (no generics), like the store it stands in for.
/// </summary>
public sealed class BucketedDhcpLeaseStore : IDhcpLeaseStore
{
    private const int Buckets = 4096;
    private readonly ArrayList[] _byClient = new ArrayList[Buckets];
    private readonly ArrayList[] _byAddress = new ArrayList[Buckets];

    public BucketedDhcpLeaseStore()
    {
        for (int i = 0; i < Buckets; i++)
        {
            _byClient[i] = new ArrayList();
            _byAddress[i] = new ArrayList();
        }
    }

    public int Count { get; private set; }

    public DhcpLeaseRecord? FindByClient(string clientKey)
    {
        ArrayList bucket = _byClient[ClientBucket(clientKey)];
        for (int i = 0; i < bucket.Count; i++)
        {
            DhcpLeaseRecord record = (DhcpLeaseRecord)bucket[i]!;
            if (record.ClientKey == clientKey)
            {
                return record;
            }
        }

        return null;
    }

    public DhcpLeaseRecord? FindByAddress(uint address)
    {
        ArrayList bucket = _byAddress[AddressBucket(address)];
        for (int i = 0; i < bucket.Count; i++)
        {
            DhcpLeaseRecord record = (DhcpLeaseRecord)bucket[i]!;
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
        _byClient[ClientBucket(copy.ClientKey)].Add(copy);
        _byAddress[AddressBucket(copy.Address)].Add(copy);
        Count++;
    }

    public void Remove(string clientKey)
    {
        DhcpLeaseRecord? record = FindByClient(clientKey);
        if (record != null)
        {
            _byClient[ClientBucket(clientKey)].Remove(record);
            _byAddress[AddressBucket(record.Address)].Remove(record);
            Count--;
        }
    }

    private static int ClientBucket(string clientKey)
    {
        return (clientKey.GetHashCode() & 0x7FFFFFFF) % Buckets;
    }

    private static int AddressBucket(uint address)
    {
        return (int)(address % Buckets);
    }
}
