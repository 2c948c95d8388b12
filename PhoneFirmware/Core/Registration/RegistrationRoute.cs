namespace PhoneFirmware.Core.Registration;

/// <summary>Which server the stage is heading for, and why: it decides what a failure leads to.</summary>
public enum RegistrationRoute
{
    /// <summary>The call servers of the DHCP lease, in order.</summary>
    CallServers,

    /// <summary>The element a Redirect named.</summary>
    RedirectTarget,

    /// <summary>The redirect target's DN's secondary element (the Redirect's alternate).</summary>
    RedirectSecondary,

    /// <summary>The DN's secondary, after the registered element stopped answering.</summary>
    Failover,

    /// <summary>Back to the primary, from the secondary, once the primary answers again.</summary>
    ReturnToPrimary,
}
