using Protocol.Common;

namespace Tests.Portable.Support;

/// <summary>
/// An <see cref="IRandomSource"/> whose values the test chooses: transaction ids count up from a
/// start value, and <see cref="Next"/> returns the scripted values in turn (cycling).
/// </summary>
public sealed class ScriptedRandom : IRandomSource
{
    private readonly int[] _values;
    private int _index;
    private uint _nextId;

    public ScriptedRandom(uint firstId, int[] values)
    {
        _nextId = firstId;
        _values = values;
    }

    /// <summary>The argument of the last <see cref="Next"/> call, or 0.</summary>
    public int LastMaxExclusive { get; private set; }

    public int NextCalls { get; private set; }

    public uint NextUInt32()
    {
        return _nextId++;
    }

    public int Next(int maxExclusive)
    {
        LastMaxExclusive = maxExclusive;
        NextCalls++;
        int value = _values.Length == 0 ? 0 : _values[_index % _values.Length];
        _index++;
        if (value < 0 || value >= maxExclusive)
        {
            throw new System.ArgumentOutOfRangeException(nameof(maxExclusive), "scripted value outside the asked range");
        }

        return value;
    }
}
