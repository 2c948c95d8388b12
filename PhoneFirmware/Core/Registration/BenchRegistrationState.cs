namespace PhoneFirmware.Core.Registration;

/// <summary>The states of the bench protocol's registration client (docs/registration-protocol.md).</summary>
public enum BenchRegistrationState
{
    Idle,

    /// <summary>TCP link to one of DHCP's call servers.</summary>
    Connecting,

    /// <summary>TCP link to a redirect target (or the target DN's secondary).</summary>
    Redirecting,

    /// <summary>TCP link to the DN's secondary after the registered element stopped answering.</summary>
    FailingOver,

    /// <summary>TCP link to the primary, which answered again while the set was at its secondary.</summary>
    ReturningToPrimary,

    /// <summary>Register (or a PIN) sent; waiting for the reply.</summary>
    WaitingForAck,

    /// <summary>The server asked for a PIN; waiting for the user's.</summary>
    PinPrompt,

    /// <summary>Registered; a keepalive sent, waiting for the first answer.</summary>
    WaitingForComms,

    /// <summary>In service at the primary (or at a redirect target or a DHCP call server).</summary>
    Registered,

    /// <summary>In service at the DN's secondary; probing the primary when return is allowed.</summary>
    RegisteredAtSecondary,

    /// <summary>Waiting before the next attempt (every server failed, or a redirect chain ended).</summary>
    BackingOff,
}
