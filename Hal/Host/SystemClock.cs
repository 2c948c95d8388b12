using System.Diagnostics;

namespace Hal.Host;

/// <summary>Monotonic clock from <see cref="Stopwatch"/>: wall-clock jumps never move a deadline.</summary>
public sealed class SystemClock : IClock
{
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

    public long NowMilliseconds => _stopwatch.ElapsedMilliseconds;
}
