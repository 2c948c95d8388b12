using System;
using System.Collections.Concurrent;
using Hal;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// A fleet phone's DHCP socket in relay mode: what the client sends goes out through the
/// <see cref="DhcpRelayAgent"/>; the replies the agent hands over wait here until the phone's
/// next step (the agent wakes it). Bounded: a phone that stops reading loses replies, not memory.
/// </summary>
public sealed class RelayedDhcpSocket : IDatagramSocket, IDisposable
{
    private const int MaxWaiting = 16;

    private readonly DhcpRelayAgent _relay;
    private readonly byte[] _mac;
    private readonly FleetWorker _worker;
    private readonly FleetPhone _phone;
    private readonly ConcurrentQueue<Reply> _waiting = new();
    private bool _closed;

    public RelayedDhcpSocket(DhcpRelayAgent relay, byte[] mac, FleetWorker worker, FleetPhone phone)
    {
        _relay = relay;
        _mac = mac;
        _worker = worker;
        _phone = phone;
        relay.Register(mac, this);
    }

    public int LocalPort => 67;

    public void Send(byte[] data, int offset, int count, uint address, int port)
    {
        // Broadcast or unicast (a renewal), the relay carries it: the phones have no address of their own here.
        _relay.Forward(data, offset, count);
    }

    public int Receive(byte[] buffer, out uint address, out int port)
    {
        address = 0;
        port = 0;
        if (!_waiting.TryDequeue(out Reply? reply))
        {
            return -1;
        }

        int count = Math.Min(reply.Bytes.Length, buffer.Length);
        Array.Copy(reply.Bytes, buffer, count);
        address = reply.Address;
        port = reply.Port;
        return count;
    }

    /// <summary>On the agent's thread: a reply for this phone.</summary>
    public void Deliver(byte[] data, int count, uint address, int port)
    {
        if (_closed || _waiting.Count >= MaxWaiting)
        {
            return;
        }

        byte[] copy = new byte[count];
        Array.Copy(data, copy, count);
        _waiting.Enqueue(new Reply(copy, address, port));
        _worker.Wake(_phone);
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _relay.Unregister(_mac, this);
        _phone.Network.Closed(this);
    }

    public void Dispose()
    {
        Close();
    }

    private sealed class Reply
    {
        public Reply(byte[] bytes, uint address, int port)
        {
            Bytes = bytes;
            Address = address;
            Port = port;
        }

        public byte[] Bytes { get; }

        public uint Address { get; }

        public int Port { get; }
    }
}
