namespace Hal.Esp32;

/// <summary>
/// Debounces a whole keypad at once: one bit per key, a change counts only after the same raw
/// state was seen on <c>requiredScans</c> consecutive scans. Pure logic, no I/O.
/// </summary>
public sealed class KeyDebouncer
{
    private readonly int _requiredScans;
    private int _candidate;
    private int _seen;

    /// <summary>
    /// Starts from <paramref name="heldAtStart"/>, the keys down when the driver starts (the '*' held
    /// through power-up to clear the PIN): they count as already down, so they are not reported as
    /// presses; releasing and pressing one again is.
    /// </summary>
    public KeyDebouncer(int requiredScans, int heldAtStart)
    {
        _requiredScans = requiredScans < 1 ? 1 : requiredScans;
        _candidate = heldAtStart;
        _seen = _requiredScans;
        Stable = heldAtStart;
    }

    /// <summary>The debounced state: bit i set while key i is down.</summary>
    public int Stable { get; private set; }

    /// <summary>Feeds one raw scan; returns the keys that went down with it (bits), 0 if none.</summary>
    public int Update(int raw)
    {
        if (raw == _candidate)
        {
            if (_seen < _requiredScans)
            {
                _seen++;
            }
        }
        else
        {
            _candidate = raw;
            _seen = 1;
        }

        if (_seen < _requiredScans || _candidate == Stable)
        {
            return 0;
        }

        int pressed = _candidate & ~Stable;
        Stable = _candidate;
        return pressed;
    }
}
