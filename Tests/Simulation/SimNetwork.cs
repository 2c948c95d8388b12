using System;
using System.Collections.Generic;
using Protocol.Common;

namespace Tests.Simulation;

/// <summary>
/// A simulated IPv4 network: datagrams that can be lost, duplicated, reordered and delayed by a
/// seeded generator, and reliable ordered streams with delay. Nothing happens until the runner
/// calls <see cref="DeliverDue"/>, so a run is a pure function of its seed.
/// </summary>
public sealed class SimNetwork
{
    private readonly SeededRandom _random;
    private readonly List<SimHost> _hosts = new();
    private readonly Dictionary<string, uint> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly PriorityQueue<Action, (long Time, long Sequence)> _pending = new();
    private long _sequence;

    public SimNetwork(SimClock clock, SeededRandom random, NetworkConditions conditions)
    {
        Clock = clock;
        _random = random;
        Conditions = conditions;
    }

    public SimClock Clock { get; }

    public NetworkConditions Conditions { get; set; }

    public long DatagramsSent { get; private set; }

    public long DatagramsLost { get; private set; }

    public long DatagramsDuplicated { get; private set; }

    public long DatagramsReordered { get; private set; }

    /// <summary>One line per datagram handed to a socket, for determinism checks and failure reports.</summary>
    public List<string> Trace { get; } = new();

    public long NextDeliveryTime => _pending.TryPeek(out _, out (long Time, long Sequence) key) ? key.Time : Deadline.None;

    public SimHost AddHost(string name, byte[] mac, uint address)
    {
        SimHost host = new(this, name, mac, address);
        _hosts.Add(host);
        return host;
    }

    /// <summary>A DNS entry, for servers named by FQDN in the phone configuration.</summary>
    public void AddName(string name, uint address)
    {
        _names[name] = address;
    }

    public uint Resolve(string name)
    {
        return _names.TryGetValue(name, out uint address) ? address : 0;
    }

    /// <summary>Runs every delivery due by now; true if there was any.</summary>
    public bool DeliverDue()
    {
        bool any = false;
        while (_pending.TryPeek(out Action? action, out (long Time, long Sequence) key) && key.Time <= Clock.NowMilliseconds)
        {
            _pending.Dequeue();
            action();
            any = true;
        }

        return any;
    }

    internal void Schedule(long time, Action action)
    {
        _pending.Enqueue(action, (time, _sequence++));
    }

    internal long Delay()
    {
        NetworkConditions c = Conditions;
        return c.MinimumDelayMs + _random.Next(Math.Max(1, c.MaximumDelayMs - c.MinimumDelayMs + 1));
    }

    internal void SendDatagram(SimHost from, int fromPort, uint to, int toPort, byte[] data)
    {
        DatagramsSent++;
        if (!from.IsLinkUp)
        {
            DatagramsLost++;
            return;
        }

        foreach (SimHost host in _hosts)
        {
            bool addressed = host.Vlan == from.Vlan && (to == Ipv4.Broadcast ? host != from : host.Address == to && to != 0);
            if (!addressed)
            {
                continue;
            }

            Route(from.Address, fromPort, host, toPort, data);
        }
    }

    internal SimHost? FindHost(uint address)
    {
        foreach (SimHost host in _hosts)
        {
            if (host.Address == address && address != 0)
            {
                return host;
            }
        }

        return null;
    }

    private void Route(uint source, int sourcePort, SimHost host, int port, byte[] data)
    {
        NetworkConditions c = Conditions;
        if (_random.NextDouble() < c.LossRate)
        {
            DatagramsLost++;
            return;
        }

        int copies = _random.NextDouble() < c.DuplicateRate ? 2 : 1;
        DatagramsDuplicated += copies - 1;
        for (int i = 0; i < copies; i++)
        {
            long delay = Delay();
            if (_random.NextDouble() < c.ReorderRate)
            {
                DatagramsReordered++;
                delay += c.MaximumDelayMs + 1 + _random.Next(3 * Math.Max(1, c.MaximumDelayMs));
            }

            Schedule(Clock.NowMilliseconds + delay, () =>
            {
                if (host.IsLinkUp && host.DeliverDatagram(source, sourcePort, port, data))
                {
                    Trace.Add(Clock.NowMilliseconds + " " + Ipv4.Format(source) + ":" + sourcePort + " > " + host.Name + ":" + port + " " + data.Length);
                }
            });
        }
    }
}
