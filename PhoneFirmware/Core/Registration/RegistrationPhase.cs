namespace PhoneFirmware.Core.Registration;

/// <summary>Where a registration stage is, in terms every call-control protocol shares.</summary>
public enum RegistrationPhase
{
    /// <summary>Not started, or stopped.</summary>
    Idle,

    /// <summary>On the way to a call server: TCP link, acknowledgement, communication.</summary>
    Homing,

    /// <summary>The call server asked for a PIN; the keypad is read.</summary>
    Prompting,

    /// <summary>Registered on a DN (at the primary or at the secondary).</summary>
    Registered,

    /// <summary>Every server failed (or a redirect chain ended): waiting before trying again.</summary>
    BackingOff,
}
