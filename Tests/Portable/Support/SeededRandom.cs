using Protocol.Common;

namespace Tests.Portable.Support;

/// <summary>
/// A small deterministic PRNG (xorshift32) for fuzzing and seeded tests: the same seed gives the
/// same sequence on every platform.
/// </summary>
public sealed class SeededRandom : IRandomSource
{
    private uint _state;

    public SeededRandom(uint seed)
    {
        _state = seed == 0 ? 0x9E3779B9u : seed;

        // Scramble so that neighbouring seeds give unrelated sequences.
        for (int i = 0; i < 4; i++)
        {
            NextUInt32();
        }
    }

    public uint NextUInt32()
    {
        uint x = _state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _state = x;
        return x;
    }

    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new System.ArgumentOutOfRangeException(nameof(maxExclusive));
        }

        return (int)(NextUInt32() % (uint)maxExclusive);
    }

    public byte NextByte()
    {
        return (byte)(NextUInt32() >> 24);
    }

    public byte[] NextBytes(int count)
    {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++)
        {
            bytes[i] = NextByte();
        }

        return bytes;
    }
}
