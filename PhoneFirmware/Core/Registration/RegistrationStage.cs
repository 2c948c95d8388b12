namespace PhoneFirmware.Core.Registration;

/// <summary>The three stages a set shows while it (re-)homes, and the pause between rounds.</summary>
public enum RegistrationStage
{
    /// <summary>Waiting for the TCP link to the call server.</summary>
    TcpLink,

    /// <summary>Register sent: waiting for the registration acknowledgement ("Waiting for ACK...").</summary>
    Ack,

    /// <summary>Acknowledged: waiting for the call server to communicate ("Waiting for COMMS...").</summary>
    Comms,

    /// <summary>Waiting before the next round of attempts.</summary>
    BackingOff,
}
