using System;
using System.Collections.Generic;
using Hal;

namespace Tests.Simulation;

/// <summary>A UDP socket on a simulated host.</summary>
public sealed class SimDatagramSocket : IDatagramSocket
{
    private readonly SimHost _host;
    private readonly Queue<(byte[] Data, uint Address, int Port)> _inbox = new();

    internal SimDatagramSocket(SimHost host, int port)
    {
        _host = host;
        LocalPort = port;
    }

    public int LocalPort { get; }

    public bool IsClosed { get; private set; }

    public void Send(byte[] data, int offset, int count, uint address, int port)
    {
        if (IsClosed)
        {
            throw new InvalidOperationException("socket closed");
        }

        byte[] copy = new byte[count];
        Array.Copy(data, offset, copy, 0, count);
        _host.Network.SendDatagram(_host, LocalPort, address, port, copy);
    }

    public int Receive(byte[] buffer, out uint address, out int port)
    {
        address = 0;
        port = 0;
        if (IsClosed || _inbox.Count == 0)
        {
            return -1;
        }

        (byte[] data, address, port) = _inbox.Dequeue();
        int count = Math.Min(data.Length, buffer.Length); // like UDP: a datagram too big for the buffer is truncated
        Array.Copy(data, buffer, count);
        return count;
    }

    public void Close()
    {
        if (!IsClosed)
        {
            IsClosed = true;
            _host.Unbind(LocalPort);
        }
    }

    internal void Enqueue(byte[] data, uint address, int port)
    {
        _inbox.Enqueue((data, address, port));
    }
}
