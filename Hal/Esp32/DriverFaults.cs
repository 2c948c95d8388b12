namespace Hal.Esp32;

/// <summary>
/// What the drivers met that the real libraries signal by exception or status (a display that
/// does not answer, a socket already closed, a pin the GPIO driver refused), kept as short texts
/// until the entry point's loop takes them and reports each as an event and on the debug link.
/// A driver never throws for these: it records the fault and carries on (headless, closed, ...).
/// Bounded: when the loop is slow to take them, the oldest are kept and later ones dropped (the
/// loop takes them every turn, and each driver reports a fault once, not on every call).
/// </summary>
public sealed class DriverFaults
{
    private const int Capacity = 8;

    private readonly string[] _parts = new string[Capacity];
    private readonly string[] _reasons = new string[Capacity];
    private readonly object _gate = new object();
    private int _head;
    private int _count;

    /// <summary>Records a fault: <paramref name="part"/> is "display", "keypad", "network", "wifi" or "socket".</summary>
    public void Report(string part, string reason)
    {
        lock (_gate)
        {
            if (_count == Capacity)
            {
                return;
            }

            int slot = (_head + _count) % Capacity;
            _parts[slot] = part;
            _reasons[slot] = reason;
            _count++;
        }
    }

    /// <summary>Takes the oldest fault; false when there is none.</summary>
    public bool TryTake(out string part, out string reason)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                part = string.Empty;
                reason = string.Empty;
                return false;
            }

            part = _parts[_head];
            reason = _reasons[_head];
            _head = (_head + 1) % Capacity;
            _count--;
            return true;
        }
    }
}
