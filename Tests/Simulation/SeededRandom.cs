using Protocol.Common;

namespace Tests.Simulation;

/// <summary>xorshift64* — small, fast and identical on every machine, so a seed names a run.</summary>
public sealed class SeededRandom : IRandomSource
{
    private ulong _state;

    public SeededRandom(ulong seed)
    {
        _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed * 0x9E3779B97F4A7C15UL;
    }

    public uint NextUInt32()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return (uint)((_state * 0x2545F4914F6CDD1DUL) >> 32);
    }

    public int Next(int maxExclusive)
    {
        return maxExclusive <= 0 ? 0 : (int)(NextUInt32() % (uint)maxExclusive);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble()
    {
        return NextUInt32() / 4294967296.0;
    }

    /// <summary>A generator for one component, derived from this one so components do not share a stream.</summary>
    public SeededRandom Fork()
    {
        return new SeededRandom(((ulong)NextUInt32() << 32) | NextUInt32());
    }
}
