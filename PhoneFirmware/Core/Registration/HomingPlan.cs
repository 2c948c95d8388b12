using Protocol.Dhcp;

namespace PhoneFirmware.Core.Registration;

/// <summary>
/// Where the phone registers next, and what a failure leads to (the redirect policy of
/// docs/registration-protocol.md): DHCP's call servers in order; a redirect target, retried
/// after a back-off; then the target DN's secondary; then DHCP's call servers again. A chain of
/// redirects ends at <see cref="PhoneSettings.RedirectHopLimit"/>. Back-offs double from
/// <see cref="PhoneSettings.CallServerRetryMilliseconds"/> up to
/// <see cref="PhoneSettings.CallServerRetryMaxMilliseconds"/> until a registration succeeds.
/// </summary>
public sealed class HomingPlan
{
    private readonly PhoneSettings _settings;
    private ServerEndpoint[] _callServers = new ServerEndpoint[0];
    private int _index;
    private ServerEndpoint? _redirectTarget;
    private ServerEndpoint? _redirectSecondary;
    private ServerEndpoint? _other;
    private int _targetAttempts;
    private int _backOffRounds;

    public HomingPlan(PhoneSettings settings)
    {
        _settings = settings;
    }

    public RegistrationRoute Route { get; private set; }

    /// <summary>Redirects followed since the chain began (reset when DHCP's list is tried again or a set registers).</summary>
    public int Hops { get; private set; }

    /// <summary>The pause the last <see cref="HomingAction.BackOff"/> asked for.</summary>
    public int BackOffMilliseconds { get; private set; }

    /// <summary>Why the last back-off happened: "unreachable", "redirect-loop" or "redirect-failed".</summary>
    public string BackOffCause { get; private set; } = string.Empty;

    public bool HasServers => _callServers.Length > 0;

    /// <summary>The server to try now.</summary>
    public ServerEndpoint Current
    {
        get
        {
            switch (Route)
            {
                case RegistrationRoute.RedirectTarget: return _redirectTarget!;
                case RegistrationRoute.RedirectSecondary:
                case RegistrationRoute.Failover:
                case RegistrationRoute.ReturnToPrimary: return _other!;
                default: return _callServers[_index];
            }
        }
    }

    /// <summary>The DN's other element named by the last Registered (secondary, or primary at a secondary), or null.</summary>
    public ServerEndpoint? Alternate { get; private set; }

    public void Begin(ServerEndpoint[] callServers)
    {
        _callServers = callServers;
        _backOffRounds = 0;
        ToCallServers();
    }

    /// <summary>A Redirect arrived; false when it is one hop too many (the chain ends).</summary>
    public bool Redirect(ServerEndpoint target, ServerEndpoint? secondary)
    {
        if (Hops >= _settings.RedirectHopLimit)
        {
            return false;
        }

        Hops++;
        _redirectTarget = target;
        _redirectSecondary = secondary;
        _targetAttempts = 0;
        Route = RegistrationRoute.RedirectTarget;
        return true;
    }

    /// <summary>The hop limit was reached: the DN's secondary once, else DHCP's list after a back-off.</summary>
    public HomingAction RedirectLimitReached(ServerEndpoint? secondary)
    {
        if (secondary != null && Route != RegistrationRoute.RedirectSecondary)
        {
            _other = secondary;
            Route = RegistrationRoute.RedirectSecondary;
            return HomingAction.TryNow;
        }

        ToCallServers();
        return BackOff("redirect-loop");
    }

    public void Registered(ServerEndpoint? alternate)
    {
        Alternate = alternate;
        Hops = 0;
        _targetAttempts = 0;
        _backOffRounds = 0;
    }

    public void Failover()
    {
        _other = Alternate;
        Route = RegistrationRoute.Failover;
    }

    public void ReturnToPrimary()
    {
        _other = Alternate;
        Route = RegistrationRoute.ReturnToPrimary;
    }

    /// <summary>The current server could not be reached, refused, or went silent.</summary>
    public HomingAction Failed()
    {
        switch (Route)
        {
            case RegistrationRoute.RedirectTarget:
                _targetAttempts++;
                if (_targetAttempts < _settings.RedirectTargetAttempts)
                {
                    return BackOff("redirect-failed");
                }

                if (_redirectSecondary != null)
                {
                    _other = _redirectSecondary;
                    Route = RegistrationRoute.RedirectSecondary;
                    return HomingAction.TryNow;
                }

                ToCallServers();
                return BackOff("redirect-failed");
            case RegistrationRoute.RedirectSecondary:
                ToCallServers();
                return BackOff("redirect-failed");
            case RegistrationRoute.Failover:
            case RegistrationRoute.ReturnToPrimary:
                ToCallServers();
                return BackOff("unreachable");
            default:
                _index++;
                if (_index < _callServers.Length)
                {
                    return HomingAction.TryNow;
                }

                ToCallServers();
                return BackOff("unreachable");
        }
    }

    private void ToCallServers()
    {
        Route = RegistrationRoute.CallServers;
        _index = 0;
        Hops = 0;
        Alternate = null;
    }

    private HomingAction BackOff(string cause)
    {
        long delay = _settings.CallServerRetryMilliseconds;
        for (int i = 0; i < _backOffRounds && delay < _settings.CallServerRetryMaxMilliseconds; i++)
        {
            delay *= 2;
        }

        BackOffMilliseconds = (int)(delay < _settings.CallServerRetryMaxMilliseconds ? delay : _settings.CallServerRetryMaxMilliseconds);
        BackOffCause = cause;
        _backOffRounds++;
        return HomingAction.BackOff;
    }
}
