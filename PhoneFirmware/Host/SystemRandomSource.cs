using System;
using Protocol.Common;

namespace PhoneFirmware.Host;

/// <summary>Randomness for a real run; simulations inject a seeded source instead.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    private readonly Random _random;

    public SystemRandomSource(int? seed = null)
    {
        _random = seed.HasValue ? new Random(seed.Value) : new Random();
    }

    public uint NextUInt32()
    {
        return (uint)_random.NextInt64(0, 1L << 32);
    }

    public int Next(int maxExclusive)
    {
        return _random.Next(maxExclusive);
    }
}
