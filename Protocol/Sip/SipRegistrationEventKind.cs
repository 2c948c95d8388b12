namespace Protocol.Sip;

/// <summary>What a <see cref="SipRegistrationEvent"/> reports.</summary>
public enum SipRegistrationEventKind
{
    /// <summary>401/407 answered with credentials; Seconds is 1 when the challenge said stale=true.</summary>
    Challenged,

    /// <summary>First binding at a server; Seconds is the granted expiry.</summary>
    Registered,

    /// <summary>A refresh was granted; Seconds is the granted expiry.</summary>
    Refreshed,

    /// <summary>423: retrying with Seconds = Min-Expires.</summary>
    IntervalTooBrief,

    /// <summary>3xx: following the Contact in Text.</summary>
    Redirected,

    /// <summary>More redirects than the hop limit; counted as a failure of the server.</summary>
    RedirectLoop,

    /// <summary>A server failed (StatusCode, or 0 for a timeout); Text names the next server tried.</summary>
    ServerFailed,

    /// <summary>Every server failed this round; Seconds is the wait before the next round.</summary>
    BackingOff,

    /// <summary>The credentials were refused; StatusCode says how.</summary>
    CredentialsRefused,

    /// <summary>The binding was removed (StatusCode 200) or the removal went unanswered (0).</summary>
    Unregistered,

    /// <summary>An OPTIONS from Text was answered 200.</summary>
    OptionsAnswered,
}
