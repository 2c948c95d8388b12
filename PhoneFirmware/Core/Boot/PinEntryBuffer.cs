namespace PhoneFirmware.Core.Boot;

/// <summary>
/// The digits typed at the PIN prompt. '#' confirms (the Superkey's role); '*' is part of the
/// access code, so it cannot double as backspace.
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
}
