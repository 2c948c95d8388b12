namespace PhoneFirmware.Core.Registration;

/// <summary>What a registration stage reports to the sequencer.</summary>
public enum RegistrationEventKind
{
    /// <summary>A new stage of homing (<see cref="RegistrationEvent.Stage"/>, <see cref="RegistrationEvent.Route"/>).</summary>
    Progress,

    /// <summary>The server was resolved from its name.</summary>
    Resolved,

    /// <summary>Register went out (<see cref="RegistrationEvent.HasPin"/>).</summary>
    RegisterSent,

    /// <summary>Prompt for a PIN (<see cref="RegistrationEvent.Reason"/>, <see cref="RegistrationEvent.RetrySeconds"/>).</summary>
    Prompt,

    /// <summary>Store <see cref="RegistrationEvent.Pin"/> in flash.</summary>
    SavePin,

    /// <summary>Erase the stored PIN (<see cref="RegistrationEvent.Reason"/>).</summary>
    ClearPin,

    /// <summary>Registered on <see cref="RegistrationEvent.Dn"/>.</summary>
    Registered,

    /// <summary>Communication with the registered element is up: the set is in service.</summary>
    InService,

    /// <summary>Redirected to <see cref="RegistrationEvent.Target"/>.</summary>
    Redirect,

    /// <summary>A redirect past the hop limit: the chain ends here.</summary>
    RedirectLimit,

    /// <summary>The server asked for a reset (<see cref="RegistrationEvent.Text"/>).</summary>
    Reset,

    /// <summary>Text for one display row from the server.</summary>
    DisplayText,

    /// <summary>The server reported an error (<see cref="RegistrationEvent.Text"/>).</summary>
    ServerError,

    /// <summary>The link to the registered element is gone.</summary>
    ConnectionLost,

    /// <summary>A server could not be reached or refused (<see cref="RegistrationEvent.Text"/> = reason).</summary>
    Unreachable,

    /// <summary>Going to the DN's secondary element.</summary>
    Failover,

    /// <summary>Going back to the primary element.</summary>
    ReturnToPrimary,

    /// <summary>The stage stored the line's credentials itself (SIP: number <see cref="RegistrationEvent.Dn"/> and password).</summary>
    CredentialsSaved,

    /// <summary>The stage cleared stored credentials itself (<see cref="RegistrationEvent.Text"/> = why; <see cref="RegistrationEvent.Dn"/> = the number kept, or empty).</summary>
    CredentialsCleared,

    /// <summary>A protocol's own event, published as <see cref="RegistrationEvent.Text"/> (e.g. sip.challenge) with Status, Seconds and Target.</summary>
    ProtocolReport,
}
