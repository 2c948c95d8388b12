using Hal;

namespace Tests.Simulation;

/// <summary>Simulated time: moves only when the runner advances it, so every run is repeatable.</summary>
public sealed class SimClock : IClock
{
    public long NowMilliseconds { get; private set; }

    public void AdvanceTo(long time)
    {
        if (time < NowMilliseconds)
        {
            throw new System.InvalidOperationException("simulated time cannot go backwards");
        }

        NowMilliseconds = time;
    }
}
