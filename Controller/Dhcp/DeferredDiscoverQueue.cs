using System;
using System.Net;
using System.Net.Sockets;

namespace Controller.Dhcp;

/// <summary>
/// DISCOVERs read off the socket but not yet answered, oldest first: the host reads its socket
/// dry, answers every REQUEST at once (a REQUEST completes a client) and keeps the DISCOVERs
/// (each starts one) here, so in a boot storm a REQUEST does not wait behind thousands of them in
/// the kernel's queue. A ring of reusable slots (datagram copy and sender), grown when a storm
/// needs more, at most <see cref="Capacity"/>, and given back by <see cref="Shrink"/> when quiet.
/// </summary>
public sealed class DeferredDiscoverQueue
{
    /// <summary>Slots kept after <see cref="Shrink"/>: a steady load never grows the ring.</summary>
    public const int KeptSlots = 64;

    // A DISCOVER is a few hundred bytes; a longer one grows its slot.
    private const int SlotBytes = 576;

    private byte[]?[] _data;
    private int[] _lengths;
    private SocketAddress?[] _sources;
    private int _oldest;

    public DeferredDiscoverQueue(int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentException("a deferred-DISCOVER queue holds at least one", nameof(capacity));
        }

        Capacity = capacity;
        _data = new byte[]?[Math.Min(KeptSlots, capacity)];
        _lengths = new int[_data.Length];
        _sources = new SocketAddress?[_data.Length];
    }

    /// <summary>DISCOVERs held at most; when full the host leaves the rest in the socket.</summary>
    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>Slots allocated now (grows with a storm, back to <see cref="KeptSlots"/> on <see cref="Shrink"/>).</summary>
    public int Slots => _data.Length;

    /// <summary>Copies a datagram and its sender in at the back; the queue must not be full.</summary>
    public void Add(byte[] datagram, int length, SocketAddress source)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("the deferred-DISCOVER queue is full");
        }

        if (Count == _data.Length)
        {
            Resize(Math.Min(Capacity, _data.Length * 2));
        }

        int slot = (_oldest + Count) % _data.Length;
        byte[]? data = _data[slot];
        if (data == null || data.Length < length)
        {
            data = new byte[Math.Max(SlotBytes, length)];
            _data[slot] = data;
        }

        SocketAddress? copy = _sources[slot];
        if (copy == null || copy.Buffer.Length < source.Size)
        {
            copy = new SocketAddress(source.Family, source.Size);
            _sources[slot] = copy;
        }

        Buffer.BlockCopy(datagram, 0, data, 0, length);
        source.Buffer.Span.Slice(0, source.Size).CopyTo(copy.Buffer.Span);
        copy.Size = source.Size;
        _lengths[slot] = length;
        Count++;
    }

    /// <summary>The oldest DISCOVER, valid until the next <see cref="Add"/> or <see cref="RemoveOldest"/> reuses its slot.</summary>
    public byte[] OldestData => _data[_oldest]!;

    public int OldestLength => _lengths[_oldest];

    public SocketAddress OldestSource => _sources[_oldest]!;

    public void RemoveOldest()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("the deferred-DISCOVER queue is empty");
        }

        _oldest = (_oldest + 1) % _data.Length;
        Count--;
    }

    /// <summary>After a storm: back to <see cref="KeptSlots"/> slots (or as many as are held), so the memory can be collected.</summary>
    public void Shrink()
    {
        int keep = Math.Max(Count, Math.Min(KeptSlots, Capacity));
        if (keep < _data.Length)
        {
            Resize(keep);
        }
    }

    // Copies the held entries to the front of new arrays; free slots beyond them start empty.
    private void Resize(int slots)
    {
        byte[]?[] data = new byte[]?[slots];
        int[] lengths = new int[slots];
        SocketAddress?[] sources = new SocketAddress?[slots];
        for (int i = 0; i < Count; i++)
        {
            int from = (_oldest + i) % _data.Length;
            data[i] = _data[from];
            lengths[i] = _lengths[from];
            sources[i] = _sources[from];
        }

        _data = data;
        _lengths = lengths;
        _sources = sources;
        _oldest = 0;
    }
}
