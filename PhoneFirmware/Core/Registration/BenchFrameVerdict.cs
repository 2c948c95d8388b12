namespace PhoneFirmware.Core.Registration;

/// <summary>What a frame from the element asks of <see cref="BenchRegistrationClient"/>'s machine (<see cref="BenchFrameExchange.Read"/>).</summary>
public enum BenchFrameVerdict
{
    /// <summary>Nothing to change; the frame counts as communication (DisplayText, Keepalive, KeepaliveAck).</summary>
    Communicated,

    /// <summary>PinRequest or ClearPin: prompt for a PIN.</summary>
    Prompt,

    /// <summary>Registered: wait for the element to communicate.</summary>
    Registered,

    /// <summary>Redirect: leave this element and follow <see cref="BenchFrameExchange.RedirectAction"/>.</summary>
    Redirected,

    /// <summary>Reset: stop; the phone boots again.</summary>
    Reset,

    /// <summary>Error, or a Redirect without a host: this element failed (<see cref="BenchFrameExchange.FailureReason"/>).</summary>
    Failed,

    /// <summary>A frame type from a newer protocol version: answered with an Error; not communication.</summary>
    NotUnderstood,
}
