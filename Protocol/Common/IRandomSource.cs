namespace Protocol.Common;

/// <summary>
/// Randomness for transaction ids and jitter, injected so that a simulation seed replays a run exactly.
/// </summary>
public interface IRandomSource
{
    /// <summary>A uniformly distributed 32-bit value.</summary>
    uint NextUInt32();

    /// <summary>A value in [0, maxExclusive).</summary>
    int Next(int maxExclusive);
}
