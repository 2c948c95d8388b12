using System.Threading;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// What one <see cref="FleetWorker"/>'s loop did: phone steps, readiness waits (each one system
/// call), sockets those waits reported ready, wakes other threads asked for (each a datagram to the
/// wake socket) and the bytes its thread allocated. Written by the worker (wakes by any thread),
/// read by the fleet when the phones settled: counts, not times, so a storm's cost per registered
/// phone can be compared between runs on a loaded machine.
/// </summary>
public sealed class FleetLoopCounters
{
    private long _steps;
    private long _waits;
    private long _ready;
    private long _wakes;
    private long _allocatedBytes;

    public long Steps => Volatile.Read(ref _steps);

    public long Waits => Volatile.Read(ref _waits);

    public long Ready => Volatile.Read(ref _ready);

    public long Wakes => Interlocked.Read(ref _wakes);

    /// <summary>Bytes the worker's thread allocated since it started (GC.GetAllocatedBytesForCurrentThread).</summary>
    public long AllocatedBytes => Volatile.Read(ref _allocatedBytes);

    /// <summary>The sum of several workers' counters.</summary>
    public static FleetLoopCounters Sum(FleetWorker[] workers)
    {
        FleetLoopCounters sum = new();
        foreach (FleetWorker worker in workers)
        {
            FleetLoopCounters one = worker.Counters;
            sum._steps += one.Steps;
            sum._waits += one.Waits;
            sum._ready += one.Ready;
            sum._wakes += one.Wakes;
            sum._allocatedBytes += one.AllocatedBytes;
        }

        return sum;
    }

    public void CountStep()
    {
        Volatile.Write(ref _steps, _steps + 1);
    }

    public void CountWait()
    {
        Volatile.Write(ref _waits, _waits + 1);
    }

    public void CountReady(int sockets)
    {
        Volatile.Write(ref _ready, _ready + sockets);
    }

    public void CountWake()
    {
        Interlocked.Increment(ref _wakes);
    }

    public void Allocated(long bytes)
    {
        Volatile.Write(ref _allocatedBytes, bytes);
    }
}
