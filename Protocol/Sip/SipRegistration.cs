using System.Collections;
using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// One line's registration (RFC 3261 §10), sans-IO: messages and the time in, bytes to send,
/// events and the next deadline out. REGISTER → 401/407 → the same with Digest credentials;
/// 200 → the granted expiry, refreshed ahead of it; 423 → again with Min-Expires; 3xx → the
/// Contact, up to the hop limit; 403/404 to credentials → refused; other failures and timeouts
/// → the next server, and after a round of failures a back-off (or Retry-After). Expires: 0
/// removes the binding. Requests from the network (OPTIONS) are answered in any state.
/// </summary>
public sealed class SipRegistration
{
    /// <summary>Challenges answered in one attempt before it counts as a failure (a registrar that always says stale).</summary>
    public const int MaxChallengesPerAttempt = 4;

    /// <summary>423 answers followed in one attempt.</summary>
    public const int MaxIntervalRetries = 3;

    private readonly SipRegistrationConfig _config;
    private readonly IRandomSource _random;
    private readonly ArrayList _outgoing = new ArrayList();
    private readonly ArrayList _events = new ArrayList();
    private readonly string _callId;
    private readonly string _fromTag;

    // The REGISTER's parts that stay the same from one request to the next, made once.
    private readonly string _from;
    private readonly string _to;
    private string _contact = string.Empty;
    private int _contactExpires = -1;
    private int _cseq;
    private int _serverIndex;
    private int _failuresThisRound;
    private int _backoffRounds;
    private SipServerAddress _target;
    private string _requestUri;
    private int _redirects;
    private int _expires;
    private int _intervalRetries;
    private SipClientTransaction? _transaction;
    private DigestChallenge? _challenge;
    private string _challengeSecret = string.Empty;
    private bool _challengeIsProxy;
    private bool _challengeFresh;
    private bool _sentFreshCredentials;
    private bool _sentCredentials;
    private int _nonceCount;
    private int _challengesThisAttempt;
    private long _timer = Deadline.None;
    private SipOutgoing? _lastSent;
    private long _waitMs;

    public SipRegistration(SipRegistrationConfig config, IRandomSource random)
    {
        _config = config;
        _random = random;
        _callId = SipIdentifiers.Hex(random, 4) + "@" + config.LocalHost;
        _fromTag = SipIdentifiers.Hex(random, 2);
        _to = SipRegisterRequest.NameAddr(config);
        _from = _to + ";tag=" + _fromTag;
        _target = config.Servers[0];
        _requestUri = "sip:" + config.Domain;
        _expires = config.ExpiresSeconds;
    }

    public SipRegistrationState State { get; private set; } = SipRegistrationState.Idle;

    /// <summary>Where requests go now: a configured server or a redirect's target.</summary>
    public SipServerAddress Target => _target;

    /// <summary>The expiry the registrar granted last, in seconds.</summary>
    public int GrantedSeconds { get; private set; }

    /// <summary>REGISTER transmissions beyond each transaction's first (timer E).</summary>
    public int Retransmissions { get; private set; }

    public string CallId => _callId;

    public long NextDeadline
    {
        get
        {
            if (_outgoing.Count > 0)
            {
                return long.MinValue;
            }

            long deadline = _timer;
            if (_transaction != null)
            {
                deadline = Deadline.Earliest(deadline, _transaction.NextDeadline);
            }

            return deadline;
        }
    }

    public void Start(long now)
    {
        _failuresThisRound = 0;
        _backoffRounds = 0;
        BeginAttempt();
        Enter(SipRegistrationState.Registering, now);
    }

    /// <summary>Removes the binding (Expires: 0) at the current target; works from any state.</summary>
    public void Unregister(long now)
    {
        BeginAttempt();
        Enter(SipRegistrationState.Unregistering, now);
    }

    public SipRegistrationEvent? PollEvent()
    {
        if (_events.Count == 0)
        {
            return null;
        }

        SipRegistrationEvent next = (SipRegistrationEvent)_events[0]!;
        _events.RemoveAt(0);
        return next;
    }

    /// <summary>The next bytes to send, after firing the timers that are due; null when none.</summary>
    public SipOutgoing? Poll(long now)
    {
        if (_transaction != null)
        {
            int before = _transaction.Transmissions;
            byte[]? request = _transaction.Poll(now);
            if (request != null)
            {
                if (before > 0)
                {
                    Retransmissions++;
                }

                // A retransmission is the same bytes to the same target: reuse what the first send made.
                if (_lastSent == null || _lastSent.Bytes != request || _lastSent.Port != _target.Port || _lastSent.Host != _target.Host)
                {
                    _lastSent = new SipOutgoing(_target.Host, _target.Port, request);
                }

                _outgoing.Add(_lastSent);
            }
            else if (_transaction.TimedOut)
            {
                _transaction = null;
                OnFailure(0, 0, now);
                return Poll(now);
            }
        }

        if (_outgoing.Count == 0 && now >= _timer)
        {
            _timer = Deadline.None;
            if (State == SipRegistrationState.Registered)
            {
                BeginAttempt();
                Enter(SipRegistrationState.Refreshing, now);
            }
            else if (State == SipRegistrationState.BackingOff)
            {
                BeginAttempt();
                Enter(SipRegistrationState.Registering, now);
            }

            return Poll(now);
        }

        if (_outgoing.Count == 0)
        {
            return null;
        }

        SipOutgoing next = (SipOutgoing)_outgoing[0]!;
        _outgoing.RemoveAt(0);
        return next;
    }

    /// <summary>The connection to the target broke or a send failed: as a timeout of the transaction in flight.</summary>
    public void OnTransportError(long now)
    {
        if (_transaction != null && _transaction.State != SipTransactionState.Terminated)
        {
            _transaction.OnTransportError(now);
            _transaction = null;
            OnFailure(0, 0, now);
        }
    }

    /// <summary>A parsed message from the network, with where it came from (responses to requests go back there).</summary>
    public void OnMessage(SipMessage message, string sourceHost, int sourcePort, long now)
    {
        if (message.IsRequest)
        {
            SipMessage? answer = SipRequestAnswerer.Answer(message, _fromTag);
            if (answer != null)
            {
                _outgoing.Add(new SipOutgoing(sourceHost, sourcePort, answer.Encode()));
                if (message.Method == "OPTIONS")
                {
                    _events.Add(new SipRegistrationEvent(SipRegistrationEventKind.OptionsAnswered, 200, 0, sourceHost + ":" + sourcePort.ToString()));
                }
            }

            return;
        }

        if (_transaction == null || !IsForTransaction(message) || !_transaction.OnResponse(message.StatusCode, now))
        {
            return;
        }

        if (message.StatusCode >= 200)
        {
            _transaction = null;
            OnFinalResponse(message, now);
        }
    }

    private bool IsForTransaction(SipMessage response)
    {
        try
        {
            string[] vias = response.GetList(SipHeaderNames.Via);
            return vias.Length > 0 && SipVia.Parse(vias[0]).Branch == _transaction!.Branch
                && response.CSeqMethod() == "REGISTER" && response.CSeqNumber() == _cseq;
        }
        catch (ProtocolParseException)
        {
            return false;
        }
    }

    private void OnFinalResponse(SipMessage response, long now)
    {
        int code = response.StatusCode;
        if (code < 300)
        {
            OnSuccess(response, now);
        }
        else if (code == 401 || code == 407)
        {
            OnChallenge(response, now);
        }
        else if (code == 423 && State != SipRegistrationState.Unregistering)
        {
            OnIntervalTooBrief(response, now);
        }
        else if (code < 400)
        {
            OnRedirect(response, now);
        }
        else if ((code == 403 || code == 404) && _sentCredentials)
        {
            Refuse(code, now);
        }
        else
        {
            OnFailure(code, SipBackoff.RetryAfterSeconds(response), now);
        }
    }

    private void OnSuccess(SipMessage response, long now)
    {
        if (State == SipRegistrationState.Unregistering)
        {
            _events.Add(new SipRegistrationEvent(SipRegistrationEventKind.Unregistered, response.StatusCode, 0, _target.ToString()));
            Enter(SipRegistrationState.Unregistered, now);
            return;
        }

        int granted = SipGrantedExpiry.Of(response, _config, _expires);
        if (granted <= 0)
        {
            OnFailure(response.StatusCode, 0, now);
            return;
        }

        GrantedSeconds = granted;
        _failuresThisRound = 0;
        _backoffRounds = 0;
        SipRegistrationEventKind kind = State == SipRegistrationState.Refreshing ? SipRegistrationEventKind.Refreshed : SipRegistrationEventKind.Registered;
        _events.Add(new SipRegistrationEvent(kind, response.StatusCode, granted, _target.ToString()));

        // Refresh ahead of expiry by one transaction timeout, or at half of a short expiry.
        long grantedMs = (long)granted * 1000;
        long refreshIn = grantedMs - _config.Timers.TimeoutMs;
        _waitMs = refreshIn > grantedMs / 2 ? refreshIn : grantedMs / 2;
        Enter(SipRegistrationState.Registered, now);
    }

    private void OnChallenge(SipMessage response, long now)
    {
        bool proxy = response.StatusCode == 407;
        string? header = response.Get(proxy ? SipHeaderNames.ProxyAuthenticate : SipHeaderNames.WwwAuthenticate);
        DigestChallenge? challenge = null;
        try
        {
            challenge = header == null ? null : DigestChallenge.Parse(header);
        }
        catch (ProtocolParseException)
        {
        }

        if (challenge == null || !challenge.IsSupported || _config.Password.Length == 0 || _challengesThisAttempt >= MaxChallengesPerAttempt)
        {
            OnFailure(response.StatusCode, 0, now);
            return;
        }

        if (_sentFreshCredentials && !challenge.Stale)
        {
            // Credentials made from this attempt's own challenge were rejected without stale (RFC 2617 §3.2.1).
            Refuse(response.StatusCode, now);
            return;
        }

        _challengesThisAttempt++;
        _challenge = challenge;
        _challengeSecret = DigestAuthorization.Secret(_config.AuthName, challenge.Realm, _config.Password);
        _challengeIsProxy = proxy;
        _challengeFresh = true;
        _nonceCount = 0;
        _events.Add(new SipRegistrationEvent(SipRegistrationEventKind.Challenged, response.StatusCode, challenge.Stale ? 1 : 0, challenge.Realm));
        Enter(State, now);
    }

    private void OnIntervalTooBrief(SipMessage response, long now)
    {
        string? header = response.Get(SipHeaderNames.MinExpires);
        int minimum = header == null ? -1 : Ascii.ParseDecimal(SipText.Trim(header), 0, SipText.Trim(header).Length);
        if (minimum <= _expires || _intervalRetries >= MaxIntervalRetries)
        {
            OnFailure(423, 0, now);
            return;
        }

        _intervalRetries++;
        _expires = minimum;
        _events.Add(new SipRegistrationEvent(SipRegistrationEventKind.IntervalTooBrief, 423, minimum, _target.ToString()));
        Enter(State, now);
    }

    private void OnRedirect(SipMessage response, long now)
    {
        SipUri? uri = null;
        string[] contacts = response.GetList(SipHeaderNames.Contact);
        try
        {
            uri = contacts.Length == 0 ? null : SipNameAddr.Parse(contacts[0]).Uri;
        }
        catch (ProtocolParseException)
        {
        }

        if (uri == null)
        {
            OnFailure(response.StatusCode, 0, now);
            return;
        }

        if (++_redirects > _config.RedirectHopLimit)
        {
            _events.Add(new SipRegistrationEvent(SipRegistrationEventKind.RedirectLoop, response.StatusCode, _redirects - 1, uri.ToString()));
            OnFailure(response.StatusCode, 0, now);
            return;
        }

        _target = new SipServerAddress(uri.Host, uri.PortOrDefault);
        _requestUri = "sip:" + uri.Host + ":" + uri.PortOrDefault.ToString();
        _challenge = null;
        _events.Add(new SipRegistrationEvent(SipRegistrationEventKind.Redirected, response.StatusCode, _redirects, _target.ToString()));
        Enter(State, now);
    }

    private void Refuse(int code, long now)
    {
        _events.Add(new SipRegistrationEvent(SipRegistrationEventKind.CredentialsRefused, code, 0, _target.ToString()));
        _challenge = null;
        Enter(SipRegistrationState.CredentialsRefused, now);
    }

    /// <summary>The target failed (a status, or 0 for a timeout): the next server now, or after a round the back-off.</summary>
    private void OnFailure(int code, int retryAfterSeconds, long now)
    {
        if (State == SipRegistrationState.Unregistering)
        {
            _events.Add(new SipRegistrationEvent(SipRegistrationEventKind.Unregistered, code, 0, _target.ToString()));
            Enter(SipRegistrationState.Unregistered, now);
            return;
        }

        SipServerAddress failed = _target;
        _serverIndex = (_serverIndex + 1) % _config.Servers.Length;
        _target = _config.Servers[_serverIndex];
        _requestUri = "sip:" + _config.Domain;
        _challenge = null;
        _events.Add(new SipRegistrationEvent(SipRegistrationEventKind.ServerFailed, code, retryAfterSeconds, failed.ToString() + " -> " + _target.ToString()));
        if (++_failuresThisRound < _config.Servers.Length)
        {
            BeginAttempt();
            Enter(SipRegistrationState.Registering, now);
            return;
        }

        _failuresThisRound = 0;
        _backoffRounds++;
        _waitMs = SipBackoff.WaitMs(_config, _backoffRounds, retryAfterSeconds, _random);
        SipRegistrationEvent backingOff = new SipRegistrationEvent(SipRegistrationEventKind.BackingOff, code, (int)((_waitMs + 999) / 1000), _target.ToString());
        backingOff.Milliseconds = _waitMs;
        _events.Add(backingOff);
        Enter(SipRegistrationState.BackingOff, now);
    }

    private void BeginAttempt()
    {
        _redirects = 0;
        _intervalRetries = 0;
        _challengesThisAttempt = 0;
    }

    private void SendRegister(long now, int expires)
    {
        _cseq++;
        string branch = SipIdentifiers.Branch(_random);
        if (expires != _contactExpires)
        {
            _contact = SipRegisterRequest.Contact(_config, expires);
            _contactExpires = expires;
        }

        SipMessage request = SipRegisterRequest.Build(_config, _requestUri, _callId, _from, _to, _contact, _cseq, branch, expires);
        _sentCredentials = _challenge != null;
        _sentFreshCredentials = _challenge != null && _challengeFresh;
        if (_challenge != null)
        {
            _nonceCount++;
            _challengeFresh = false;
            string cnonce = SipIdentifiers.Hex(_random, 2);
            request.Add(_challengeIsProxy ? SipHeaderNames.ProxyAuthorization : SipHeaderNames.Authorization,
                DigestAuthorization.HeaderWithSecret(_challenge, _config.AuthName, _challengeSecret, "REGISTER", _requestUri, cnonce, _nonceCount));
        }

        _transaction = new SipClientTransaction(request.Encode(), branch, _config.Transport != SipTransport.Udp, _config.Timers, now);
    }

    private void Enter(SipRegistrationState next, long now)
    {
        State = next;
        switch (next)
        {
            case SipRegistrationState.Registering:
            case SipRegistrationState.Refreshing:
                _timer = Deadline.None;
                SendRegister(now, _expires);
                break;
            case SipRegistrationState.Unregistering:
                _timer = Deadline.None;
                SendRegister(now, 0);
                break;
            case SipRegistrationState.Registered:
            case SipRegistrationState.BackingOff:
                _transaction = null;
                _timer = now + _waitMs;
                break;
            default:
                _transaction = null;
                _timer = Deadline.None;
                break;
        }
    }
}
