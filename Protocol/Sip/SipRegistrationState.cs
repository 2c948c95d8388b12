namespace Protocol.Sip;

/// <summary>The registration machine's states; see <see cref="SipRegistration"/>.</summary>
public enum SipRegistrationState
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>A REGISTER (first, authenticated, retried with Min-Expires, or redirected) is in flight.</summary>
    Registering,

    /// <summary>Bound; waiting for the refresh time.</summary>
    Registered,

    /// <summary>Bound; the refreshing REGISTER is in flight.</summary>
    Refreshing,

    /// <summary>Every server failed this round; waiting out the back-off or Retry-After.</summary>
    BackingOff,

    /// <summary>The Expires: 0 REGISTER is in flight.</summary>
    Unregistering,

    /// <summary>The binding is removed (or the registrar did not answer the removal); stopped.</summary>
    Unregistered,

    /// <summary>The registrar refused the credentials (403/404, or a repeated non-stale challenge); stopped until new ones.</summary>
    CredentialsRefused,
}
