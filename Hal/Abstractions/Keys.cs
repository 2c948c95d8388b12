namespace Hal;

/// <summary>Key values shared by keypad drivers and the core.</summary>
public static class Keys
{
    /// <summary>Returned by <see cref="IKeypad.ReadKey"/> when no key is waiting.</summary>
    public const char None = '\0';

    public const char Star = '*';

    /// <summary>'#', which also confirms an entry (the Superkey's role on the real set).</summary>
    public const char Pound = '#';

    public static bool IsValid(char key)
    {
        return (key >= '0' && key <= '9') || key == Star || key == Pound;
    }
}
