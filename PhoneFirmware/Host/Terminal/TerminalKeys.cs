namespace PhoneFirmware.Host.Terminal;

/// <summary>
/// The keyboard as the keypad: dial keys as typed, Enter as <see cref="Hal.Keys.Confirm"/>,
/// Backspace (BS or DEL, as terminals differ) as <see cref="Hal.Keys.Backspace"/>; plus a few
/// letters for the bench in the terminal view.
/// </summary>
public static class TerminalKeys
{
    public static TerminalCommand Map(char typed)
    {
        if (ToKeypadKey(typed) != Hal.Keys.None)
        {
            return TerminalCommand.Keypad;
        }

        switch (char.ToLowerInvariant(typed))
        {
            case 'p':
                return TerminalCommand.PowerCycle;
            case 's':
                return TerminalCommand.PowerCycleHoldingStar;
            case 'q':
                return TerminalCommand.Quit;
            default:
                return TerminalCommand.None;
        }
    }

    /// <summary>The keypad key a typed character stands for, or <see cref="Hal.Keys.None"/>.</summary>
    public static char ToKeypadKey(char typed)
    {
        if (Hal.Keys.IsDialKey(typed))
        {
            return typed;
        }

        switch (typed)
        {
            case '\r':
            case '\n':
                return Hal.Keys.Confirm;
            case '\b':
            case '\x7f':
                return Hal.Keys.Backspace;
            default:
                return Hal.Keys.None;
        }
    }
}
