namespace PhoneFirmware.Core.Boot;

/// <summary>
/// The keys typed at the PIN prompt: '0'-'9', '*' and '#' are all code characters (the
/// Superkey, <c>Keys.Confirm</c>, confirms; <c>Keys.Backspace</c> erases).
/// </summary>
public sealed class PinEntryBuffer
{
    public const int MaxLength = 20;
    private readonly char[] _keys = new char[MaxLength];
    private int _length;

    public int Length => _length;

    public string Text => new string(_keys, 0, _length);

    public void Clear()
    {
        _length = 0;
    }

    /// <summary>Adds a key; false when the entry is full.</summary>
    public bool Add(char key)
    {
        if (_length >= MaxLength)
        {
            return false;
        }

        _keys[_length++] = key;
        return true;
    }

    /// <summary>Erases the last key; false when there is none.</summary>
    public bool RemoveLast()
    {
        if (_length == 0)
        {
            return false;
        }

        _length--;
        return true;
    }
}
