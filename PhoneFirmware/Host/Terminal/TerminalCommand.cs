namespace PhoneFirmware.Host.Terminal;

/// <summary>What a key typed at the terminal view means.</summary>
public enum TerminalCommand
{
    None,

    /// <summary>A keypad key: 0-9, * or #.</summary>
    Keypad,

    /// <summary>`p`: cut the power and power up again.</summary>
    PowerCycle,

    /// <summary>`s`: power cycle with '*' held at power-up, which clears the stored PIN.</summary>
    PowerCycleHoldingStar,

    /// <summary>`q`: shut the phone down and leave.</summary>
    Quit,
}
