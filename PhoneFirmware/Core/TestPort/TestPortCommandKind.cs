namespace PhoneFirmware.Core.TestPort;

/// <summary>What a host-to-phone line asks for (docs/test-port.md).</summary>
public enum TestPortCommandKind
{
    /// <summary><c>PING</c>: answered with OK; tells the host the port is alive.</summary>
    Ping,

    /// <summary><c>KEY k</c>: one key press.</summary>
    Key,

    /// <summary><c>KEYS kkk</c>: several key presses, in order.</summary>
    Keys,

    /// <summary><c>RESTART</c> or <c>RESTART HOLD *</c>: a power cycle, optionally with '*' held through power-up.</summary>
    Restart,

    /// <summary><c>DISPLAY?</c>: the screen's text.</summary>
    DisplayQuery,
}
