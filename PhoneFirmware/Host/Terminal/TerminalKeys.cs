namespace PhoneFirmware.Host.Terminal;

/// <summary>The terminal view's keyboard: keypad keys as typed, plus a few letters for the bench.</summary>
public static class TerminalKeys
{
    public static TerminalCommand Map(char typed)
    {
        if (Hal.Keys.IsDialKey(typed))
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
}
