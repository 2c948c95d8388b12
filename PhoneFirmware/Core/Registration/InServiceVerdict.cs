namespace PhoneFirmware.Core.Registration;

/// <summary>What <see cref="InServiceMonitor"/> saw on one step; the client's machine acts on it.</summary>
public enum InServiceVerdict
{
    /// <summary>The element answers; nothing for the client to do.</summary>
    InService,

    /// <summary>No frame for the keepalive interval times the misses allowed: the link is lost.</summary>
    Silent,

    /// <summary>The return probe reached the primary: time to leave the secondary.</summary>
    PrimaryAnswers,
}
