using System.Collections.Concurrent;

namespace Hal.Host;

/// <summary>
/// Key presses fed from another thread (the terminal reader, a script, the test port) and
/// taken by the core without blocking; '*' can be held for the power-up check.
/// </summary>
public sealed class QueuedKeypad : IKeypad
{
    private readonly ConcurrentQueue<char> _keys = new();
    private volatile bool _starHeld;

    public void Press(char key)
    {
        if (Keys.IsValid(key))
        {
            _keys.Enqueue(key);
        }
    }

    public void Press(string keys)
    {
        foreach (char key in keys)
        {
            Press(key);
        }
    }

    public void HoldStar(bool held)
    {
        _starHeld = held;
    }

    public char ReadKey()
    {
        return _keys.TryDequeue(out char key) ? key : Keys.None;
    }

    public bool IsHeld(char key)
    {
        return key == Keys.Star && _starHeld;
    }
}
