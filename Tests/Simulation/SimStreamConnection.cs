using System;
using System.Collections.Generic;
using Hal;

namespace Tests.Simulation;

/// <summary>One end of a simulated TCP connection: reliable and ordered, each direction delayed by the network.</summary>
public sealed class SimStreamConnection : IStreamConnection
{
    private readonly SimNetwork _network;
    private readonly Queue<byte> _inbox = new();
    private long _lastArrival;

    internal SimStreamConnection(SimNetwork network, SimHost host, StreamState state)
    {
        _network = network;
        Host = host;
        State = state;
    }

    public StreamState State { get; internal set; }

    public SimHost Host { get; }

    internal SimStreamConnection? Peer { get; set; }

    public void Send(byte[] data, int offset, int count)
    {
        if (State != StreamState.Connected || Peer == null)
        {
            return;
        }

        byte[] copy = new byte[count];
        Array.Copy(data, offset, copy, 0, count);
        SimStreamConnection peer = Peer;
        Deliver(() =>
        {
            if (peer.State == StreamState.Connected && peer.Host.IsLinkUp && Host.IsLinkUp)
            {
                foreach (byte b in copy)
                {
                    peer._inbox.Enqueue(b);
                }
            }
        });
    }

    public int Receive(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && _inbox.Count > 0)
        {
            buffer[offset + n] = _inbox.Dequeue();
            n++;
        }

        return n;
    }

    public void Close()
    {
        if (State == StreamState.Closed)
        {
            return;
        }

        State = StreamState.Closed;
        SimStreamConnection? peer = Peer;
        if (peer != null && Host.Address == 0)
        {
            // A host that gave up its address cannot send the FIN: the peer is left with a dead connection.
            Host.StreamsClosedWithoutAddress++;
            return;
        }

        if (peer != null)
        {
            Deliver(() =>
            {
                if (peer.State == StreamState.Connected)
                {
                    peer.State = StreamState.Closed;
                }
            });
        }
    }

    /// <summary>Drops the connection without telling the peer (a power cut or a cable pulled).</summary>
    public void Abandon()
    {
        State = StreamState.Failed;
        Peer = null;
    }

    // Each direction keeps its order: nothing may arrive before what was sent earlier.
    internal void Deliver(Action action)
    {
        long arrival = Math.Max(_network.Clock.NowMilliseconds + _network.Delay(), _lastArrival);
        _lastArrival = arrival;
        _network.Schedule(arrival, action);
    }
}
