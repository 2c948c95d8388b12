namespace PhoneFirmware.Host.Fleet;

/// <summary>Where one phone of the fleet stands, as the progress line and the final table count it.</summary>
public enum FleetOutcome
{
    /// <summary>Still booting or registering.</summary>
    Pending,

    /// <summary>Registered on a DN (its last registration event).</summary>
    Registered,

    /// <summary>Waiting at a PIN prompt the fleet has no PIN for: settled, not failed.</summary>
    Prompted,

    /// <summary>SIP: the registrar refused the credentials the fleet gave (pin.cleared, credentials-refused): settled, counted apart.</summary>
    Refused,

    /// <summary>Not registered when the fleet stopped; <see cref="FleetPhone.FailureReason"/> says why.</summary>
    Failed,
}
