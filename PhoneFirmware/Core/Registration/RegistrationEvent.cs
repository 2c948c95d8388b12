using Protocol.Registration;

namespace PhoneFirmware.Core.Registration;

/// <summary>One thing a registration stage reports; which fields matter depends on <see cref="Kind"/>.</summary>
public sealed class RegistrationEvent
{
    public RegistrationEvent(RegistrationEventKind kind)
    {
        Kind = kind;
    }

    public RegistrationEventKind Kind { get; }

    public RegistrationStage Stage { get; set; }

    public RegistrationRoute Route { get; set; }

    /// <summary>The server concerned, as "host:port".</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>Redirect, failover, return: the server left.</summary>
    public string From { get; set; } = string.Empty;

    public PinRequestReason Reason { get; set; }

    /// <summary>Prompt after a lock-out: seconds until the set may try again, or 0.</summary>
    public int RetrySeconds { get; set; }

    /// <summary>BackingOff: the pause before the next round.</summary>
    public int RetryMilliseconds { get; set; }

    public string? Pin { get; set; }

    public bool HasPin { get; set; }

    public string Dn { get; set; } = string.Empty;

    public string DisplayName { get; set; } = string.Empty;

    /// <summary>A reason, a server text, a display text or a resolved address.</summary>
    public string Text { get; set; } = string.Empty;

    public int Row { get; set; }

    /// <summary>Redirect: the hop count of the chain so far.</summary>
    public int Hops { get; set; }

    /// <summary>ProtocolReport: a status code (SIP response code, 0 for none or a timeout).</summary>
    public int Status { get; set; }

    /// <summary>ProtocolReport: seconds (granted expiry, Min-Expires, ...).</summary>
    public int Seconds { get; set; }
}
