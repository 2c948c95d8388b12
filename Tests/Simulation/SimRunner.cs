using System;
using System.Collections.Generic;
using Protocol.Common;

namespace Tests.Simulation;

/// <summary>
/// The deterministic event loop: step every actor at the current simulated time until nothing
/// more happens now, then jump the clock to the next deadline or network delivery. No threads,
/// no sleeps: an hour of simulated time passes in milliseconds.
/// </summary>
public sealed class SimRunner
{
    private const int MaximumRoundsPerInstant = 1000;
    private readonly List<ISimActor> _actors = new();

    public SimRunner(ulong seed, NetworkConditions conditions)
    {
        Seed = seed;
        Random = new SeededRandom(seed);
        Clock = new SimClock();
        Network = new SimNetwork(Clock, Random.Fork(), conditions);
    }

    public ulong Seed { get; }

    public SeededRandom Random { get; }

    public SimClock Clock { get; }

    public SimNetwork Network { get; }

    public long Now => Clock.NowMilliseconds;

    public void Add(ISimActor actor)
    {
        _actors.Add(actor);
    }

    public void Remove(ISimActor actor)
    {
        _actors.Remove(actor);
    }

    /// <summary>Runs until <paramref name="done"/> holds or <paramref name="limitMs"/> of simulated time pass; true if done.</summary>
    public bool RunUntil(Func<bool> done, long limitMs)
    {
        long end = Now + limitMs;
        List<string> busy = new();
        while (true)
        {
            long next = Deadline.None;
            for (int round = 0; ; round++)
            {
                if (round == MaximumRoundsPerInstant)
                {
                    throw new InvalidOperationException("seed " + Seed + ": actors still busy after " + round + " rounds at t=" + Now + " ms (livelock): " + string.Join(", ", busy));
                }

                Network.DeliverDue();
                next = Deadline.None;
                busy.Clear();
                foreach (ISimActor actor in _actors.ToArray())
                {
                    long wants = actor.Step(Now);
                    if (wants <= Now)
                    {
                        busy.Add(Describe(actor));
                    }

                    next = Math.Min(next, wants);
                }

                if (done())
                {
                    return true;
                }

                if (next > Now && Network.NextDeliveryTime > Now)
                {
                    break;
                }
            }

            long wake = Math.Min(next, Network.NextDeliveryTime);
            if (wake == Deadline.None || wake > end)
            {
                Clock.AdvanceTo(Math.Max(Now, Math.Min(end, wake)));
                return done();
            }

            Clock.AdvanceTo(wake);
        }
    }

    private static string Describe(ISimActor actor)
    {
        return actor switch
        {
            SimPhone phone => phone.Name + (phone.IsPowered ? " in " + phone.Core.State : " (off)"),
            SimController controller => controller.Host.Name,
            _ => actor.GetType().Name,
        };
    }

    /// <summary>Lets <paramref name="durationMs"/> of simulated time pass.</summary>
    public void RunFor(long durationMs)
    {
        long end = Now + durationMs;
        RunUntil(() => Now >= end, durationMs);
    }
}
