namespace Tests.Simulation;

/// <summary>How the simulated network mistreats datagrams. Streams stay reliable and ordered (they stand for TCP) but are delayed.</summary>
public sealed class NetworkConditions
{
    public double LossRate { get; init; }

    public double DuplicateRate { get; init; }

    /// <summary>Share of datagrams held back long enough to arrive after later ones.</summary>
    public double ReorderRate { get; init; }

    public int MinimumDelayMs { get; init; } = 1;

    public int MaximumDelayMs { get; init; } = 5;

    public static NetworkConditions Perfect => new();

    public static NetworkConditions Hostile(double lossRate) => new()
    {
        LossRate = lossRate,
        DuplicateRate = 0.05,
        ReorderRate = 0.05,
        MinimumDelayMs = 1,
        MaximumDelayMs = 20,
    };

    public override string ToString()
    {
        return $"loss {LossRate:P0}, dup {DuplicateRate:P0}, reorder {ReorderRate:P0}, delay {MinimumDelayMs}-{MaximumDelayMs} ms";
    }
}
