using System.Collections;

namespace Protocol.Dhcp;

/// <summary>
/// A lease table in memory, for simulations and for a server that need not survive restarts.
/// Records are indexed by client and by address in hash buckets, so a lookup costs a few
/// comparisons however many clients there are (a 10,000-phone storm walked every record per
/// lookup before). Portable: ArrayLists, no generics; a bucket is made when first used.
/// </summary>
public sealed class InMemoryDhcpLeaseStore : IDhcpLeaseStore
{
    private const int Buckets = 1024;
    private readonly ArrayList?[] _byClient = new ArrayList?[Buckets];
    private readonly ArrayList?[] _byAddress = new ArrayList?[Buckets];

    public int Count { get; private set; }

    public DhcpLeaseRecord? FindByClient(string clientKey)
    {
        ArrayList? bucket = _byClient[ClientBucket(clientKey)];
        if (bucket == null)
        {
            return null;
        }

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
        ArrayList? bucket = _byAddress[AddressBucket(address)];
        if (bucket == null)
        {
            return null;
        }

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
        Bucket(_byClient, ClientBucket(copy.ClientKey)).Add(copy);
        Bucket(_byAddress, AddressBucket(copy.Address)).Add(copy);
        Count++;
    }

    public void Remove(string clientKey)
    {
        DhcpLeaseRecord? record = FindByClient(clientKey);
        if (record != null)
        {
            _byClient[ClientBucket(clientKey)]!.Remove(record);
            _byAddress[AddressBucket(record.Address)]!.Remove(record);
            Count--;
        }
    }

    private static ArrayList Bucket(ArrayList?[] buckets, int index)
    {
        ArrayList? bucket = buckets[index];
        if (bucket == null)
        {
            bucket = new ArrayList();
            buckets[index] = bucket;
        }

        return bucket;
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
