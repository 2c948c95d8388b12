namespace PhoneFirmware.Core.TestPort;

/// <summary>The bounds of the serial test port's line protocol (docs/test-port.md).</summary>
public static class TestPortLimits
{
    /// <summary>Longest host-to-phone line, without its line end; longer lines get ERR and do nothing.</summary>
    public const int MaxCommandLength = 128;

    /// <summary>Longest phone-to-host line, without its line end; an event that would be longer is sent truncated.</summary>
    public const int MaxReplyLength = 1024;

    /// <summary>Most keys one KEYS line may carry.</summary>
    public const int MaxKeysPerCommand = 32;

    /// <summary>Bytes of phone-to-host lines held while the line is slower than the phone; lines beyond are dropped and counted.</summary>
    public const int OutputCapacity = 8192;
}
