namespace PhoneFirmware.Core.TestPort;

/// <summary>What a phone-to-host line carries (docs/test-port.md).</summary>
public enum TestPortReplyKind
{
    /// <summary><c>OK</c>: the last command was done (or, for RESTART, accepted).</summary>
    Ok,

    /// <summary><c>ERR reason</c>: the last line was refused and changed nothing.</summary>
    Error,

    /// <summary><c>DISPLAY line1|line2</c>: the answer to DISPLAY?.</summary>
    Display,

    /// <summary><c>EVENT {json}</c>: a phone event, the same JSON object as <c>phone --events json</c> prints.</summary>
    Event,
}
