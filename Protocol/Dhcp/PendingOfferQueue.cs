namespace Protocol.Dhcp;

/// <summary>
/// The offers the server made, oldest first, in a fixed ring: an entry is (address, expiry of
/// that offer). Entries are not removed when the offer is taken up or dropped; the server checks,
/// when an entry falls out, whether the lease table still holds that very offer.
/// </summary>
public sealed class PendingOfferQueue
{
    private readonly uint[] _addresses;
    private readonly long[] _expiries;
    private int _oldest;
    private int _count;

    public PendingOfferQueue(int capacity)
    {
        if (capacity < 1)
        {
            throw new System.ArgumentException("the pending-offer limit must be at least 1");
        }

        _addresses = new uint[capacity];
        _expiries = new long[capacity];
    }

    public int Capacity => _addresses.Length;

    public int Count => _count;

    public bool IsFull => _count == _addresses.Length;

    /// <summary>Appends an offer; the queue must not be full (take the oldest out first).</summary>
    public void Add(uint address, long expiresAt)
    {
        int slot = (_oldest + _count) % _addresses.Length;
        _addresses[slot] = address;
        _expiries[slot] = expiresAt;
        _count++;
    }

    /// <summary>Takes the oldest offer out; returns its address and sets its expiry.</summary>
    public uint TakeOldest(out long expiresAt)
    {
        uint address = _addresses[_oldest];
        expiresAt = _expiries[_oldest];
        _oldest = (_oldest + 1) % _addresses.Length;
        _count--;
        return address;
    }
}
