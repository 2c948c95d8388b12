using System;
using System.Diagnostics;
using System.Threading;

namespace Tests.Support;

/// <summary>
/// How late this machine wakes a sleeping thread while a run lasts: a probe thread sleeps 10 ms
/// again and again and keeps the longest it overslept. A test that times another process's
/// timers on the wire widens its tolerance by this, so a loaded machine (CI at a load average of
/// 40) loosens a bound by what it delays a wake-up, and an idle one keeps it tight.
/// </summary>
public sealed class SchedulingLag : IDisposable
{
    private const int SleepMilliseconds = 10;
    private readonly Thread _probe;
    private long _longestTicks;
    private volatile bool _stopped;

    public SchedulingLag()
    {
        _probe = new Thread(Probe) { IsBackground = true, Name = "scheduling-lag" };
        _probe.Start();
    }

    /// <summary>The longest oversleep seen so far, in seconds.</summary>
    public double LongestSeconds => Interlocked.Read(ref _longestTicks) / (double)Stopwatch.Frequency;

    public void Dispose()
    {
        _stopped = true;
        _probe.Join();
    }

    private void Probe()
    {
        long asked = SleepMilliseconds * Stopwatch.Frequency / 1000;
        while (!_stopped)
        {
            long before = Stopwatch.GetTimestamp();
            Thread.Sleep(SleepMilliseconds);
            long over = Stopwatch.GetTimestamp() - before - asked;
            if (over > Interlocked.Read(ref _longestTicks))
            {
                Interlocked.Exchange(ref _longestTicks, over);
            }
        }
    }
}
