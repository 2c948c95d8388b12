using Hal;

namespace PhoneFirmware.Core.TestPort;

/// <summary>
/// The board's keypad with the test port's keys mixed in: presses sent over the port are read
/// before the board's own, and '*' can be held for the next power-up as if a finger were on it.
/// </summary>
public sealed class TestPortKeypad : IKeypad
{
    public const int Capacity = 64;

    private readonly IKeypad _board;
    private readonly char[] _queue = new char[Capacity];
    private int _head;
    private int _count;
    private bool _starHeld;

    public TestPortKeypad(IKeypad board)
    {
        _board = board;
    }

    /// <summary>Queues the keys; false, with nothing queued, when they do not all fit or one is not a key.</summary>
    public bool Press(string keys)
    {
        if (keys.Length > Capacity - _count)
        {
            return false;
        }

        for (int i = 0; i < keys.Length; i++)
        {
            if (!Keys.IsValid(keys[i]))
            {
                return false;
            }
        }

        for (int i = 0; i < keys.Length; i++)
        {
            _queue[(_head + _count) % Capacity] = keys[i];
            _count++;
        }

        return true;
    }

    /// <summary>Holds (or releases) '*' as the power-up check sees it.</summary>
    public void HoldStar(bool held)
    {
        _starHeld = held;
    }

    public char ReadKey()
    {
        if (_count == 0)
        {
            return _board.ReadKey();
        }

        char key = _queue[_head];
        _head = (_head + 1) % Capacity;
        _count--;
        return key;
    }

    public bool IsHeld(char key)
    {
        return (key == Keys.Star && _starHeld) || _board.IsHeld(key);
    }
}
