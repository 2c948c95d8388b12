namespace Protocol.Common;

/// <summary>
/// The datagrams a sans-IO machine has encoded and its host has not yet taken, first in first
/// out. Holds objects (each machine its own datagram type) because device code has no generics;
/// a ring that grows by doubling, so taking the head never shifts the rest.
/// </summary>
public sealed class DatagramQueue
{
    private object[] _items = new object[4];
    private int _head;

    public int Count { get; private set; }

    public void Add(object datagram)
    {
        if (datagram == null)
        {
            throw new System.ArgumentNullException(nameof(datagram));
        }

        if (Count == _items.Length)
        {
            object[] larger = new object[_items.Length * 2];
            for (int i = 0; i < Count; i++)
            {
                larger[i] = _items[(_head + i) % _items.Length];
            }

            _items = larger;
            _head = 0;
        }

        _items[(_head + Count) % _items.Length] = datagram;
        Count++;
    }

    /// <summary>The oldest datagram, removed from the queue; null when it is empty.</summary>
    public object? Take()
    {
        if (Count == 0)
        {
            return null;
        }

        object item = _items[_head];
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        Count--;
        return item;
    }

    /// <summary>True when this very datagram (by reference) is waiting in the queue.</summary>
    public bool Contains(object datagram)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_items[(_head + i) % _items.Length] == datagram)
            {
                return true;
            }
        }

        return false;
    }

    public void Clear()
    {
        while (Count > 0)
        {
            Take();
        }
    }
}
