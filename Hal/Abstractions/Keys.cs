namespace Hal;

/// <summary>Key values shared by keypad drivers and the core.</summary>
public static class Keys
{
    /// <summary>Returned by <see cref="IKeypad.ReadKey"/> when no key is waiting.</summary>
    public const char None = '\0';

    public const char Star = '*';

    /// <summary>'#': a code character like '*' (the default replacement access code is "###").</summary>
    public const char Pound = '#';

    /// <summary>
    /// Confirms an entry: the real set's Superkey, a key of its own so that '*' and '#' stay code
    /// characters. Host keyboards map Enter to it; a board profile names its matrix position.
    /// </summary>
    public const char Confirm = '\n';

    /// <summary>Erases the last typed character (host keyboards: Backspace; a board profile names it).</summary>
    public const char Backspace = '\b';

    /// <summary>A key a driver may queue: a dial-pad key or one of the two entry keys.</summary>
    public static bool IsValid(char key)
    {
        return IsDialKey(key) || key == Confirm || key == Backspace;
    }

    /// <summary>'0'..'9', '*' or '#': the characters a PIN is made of.</summary>
    public static bool IsDialKey(char key)
    {
        return (key >= '0' && key <= '9') || key == Star || key == Pound;
    }
}
