using Hal;
using PhoneFirmware.Core.Display;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Registration;
using Protocol.Sip;

namespace PhoneFirmware.Core.Registration.Sip;

/// <summary>
/// The registration stage in SIP (docs/sip.md): the line's settings from the configuration
/// files, its credentials from flash (which win) or from the keypad (number, then password),
/// then <see cref="SipRegistration"/> over a <see cref="SipLink"/>. '*' at power-up removes the
/// stored binding (Expires: 0) before clearing and prompting; refused credentials clear the
/// password and prompt again saying why; a 3xx re-homes without a prompt. The line's events map
/// to the shared <see cref="RegistrationEventKind"/>s where the meaning is the same, else to
/// sip.* reports. Every state change goes through <see cref="Enter"/>.
/// </summary>
public sealed class SipRegistrationStage : IRegistrationStage
{
    private const string BackoffCauseUnreachable = "unreachable";
    private const string BackoffCauseRedirectLoop = "redirect-loop";
    private const string FailureTimeout = "timeout";
    private const string FailureConnection = "connection failed";
    private readonly INetworkInterface _network;
    private readonly PhoneSettings _settings;
    private readonly IRandomSource _random;
    private readonly SipCredentialStore _credentials;
    private readonly RegistrationEventQueue _events = new RegistrationEventQueue();
    private SipConfigFile _files = new SipConfigFile();
    private uint _localAddress;
    private bool _resetAtStart;
    private string _fallbackHost = string.Empty;
    private string _number = string.Empty;
    private string _password = string.Empty;
    private SipPhoneSettings? _line;
    private SipRegistration? _registration;
    private SipLink? _link;

    // Why the next back-off waits, as docs/display.md names it: a redirect chain past the hop limit, else unreachable.
    private string _backoffCause = BackoffCauseUnreachable;

    // What a server failure without a status was: no answer in time, unless the link itself failed just now.
    private string _failureReason = FailureTimeout;

    public SipRegistrationStage(INetworkInterface network, PhoneSettings settings, IRandomSource random, IFlashRegion flash)
    {
        _network = network;
        _settings = settings;
        _random = random;
        _credentials = new SipCredentialStore(flash, PhoneFlashLayout.SipCredentialOffset);
    }

    public SipStageState State { get; private set; } = SipStageState.Idle;

    public string Dn { get; private set; } = string.Empty;

    /// <summary>The line machine while Running (or removing the binding), else null.</summary>
    public SipRegistration? Line => _registration;

    public RegistrationPhase Phase
    {
        get
        {
            switch (State)
            {
                case SipStageState.Idle: return RegistrationPhase.Idle;
                case SipStageState.PromptingNumber:
                case SipStageState.PromptingPassword: return RegistrationPhase.Prompting;
                case SipStageState.Running:
                    SipRegistrationState line = _registration!.State;
                    if (line == SipRegistrationState.Registered || line == SipRegistrationState.Refreshing)
                    {
                        return RegistrationPhase.Registered;
                    }

                    return line == SipRegistrationState.BackingOff ? RegistrationPhase.BackingOff : RegistrationPhase.Homing;
                default: return RegistrationPhase.Homing;
            }
        }
    }

    /// <summary>The merged configuration files and the leased address, for the next <see cref="Start"/>.</summary>
    public void Configure(SipConfigFile files, uint localAddress)
    {
        _files = files;
        _localAddress = localAddress;
    }

    /// <summary>'*' was held at power-up: the next <see cref="Start"/> removes the stored binding, clears the credentials and prompts.</summary>
    public void ResetCredentialsAtStart()
    {
        _resetAtStart = true;
    }

    public void Start(ServerEndpoint[] servers, uint[] dnsServers, string? credential, long now)
    {
        Stop();
        _fallbackHost = servers.Length > 0 ? servers[0].Host : string.Empty;
        _line = SipPhoneSettings.From(_files);
        _credentials.Load();

        // Local changes on the set win over the files, as on the vendor's sets.
        _number = _credentials.Number.Length > 0 ? _credentials.Number : _line.User;
        _password = _credentials.Password.Length > 0 ? _credentials.Password : _line.Password;
        if (_resetAtStart)
        {
            _resetAtStart = false;
            if (_number.Length > 0 && _password.Length > 0 && StartLine(now))
            {
                _registration!.Unregister(now);
                Enter(SipStageState.RemovingBinding, now);
                return;
            }

            ClearAll("star-held-at-power-up", 0, now);
            return;
        }

        Continue(now);
    }

    /// <summary>
    /// A clean leave (a lab host shutting its set down): the line removes its binding (Expires: 0,
    /// answering the challenge) and the stage ends Idle on the answer or timer F; the credentials
    /// stay. False when no line is running, so there is nothing to wait for.
    /// </summary>
    public bool Unregister(long now)
    {
        if (State != SipStageState.Running || _registration == null)
        {
            return false;
        }

        _registration.Unregister(now);
        Enter(SipStageState.Unregistering, now);
        return true;
    }

    public long Step(long now)
    {
        if (_registration == null || _link == null)
        {
            return Deadline.None;
        }

        while (true)
        {
            string host;
            int port;
            bool broken;
            SipMessage? message = _link.Receive(out host, out port, out broken);
            if (broken)
            {
                OnLinkFailed(now);
            }

            if (message == null || _registration == null)
            {
                break;
            }

            _registration.OnMessage(message, host, port, now);
        }

        SipOutgoing? outgoing;
        while (_registration != null && (outgoing = _registration.Poll(now)) != null)
        {
            if (!_link!.Send(outgoing))
            {
                OnLinkFailed(now);
            }

            DrainLine(now);
        }

        DrainLine(now);
        return _registration == null ? Deadline.None : _registration.NextDeadline;
    }

    public RegistrationEvent? PollEvent()
    {
        return _events.Poll();
    }

    public void SubmitPin(string pin, long now)
    {
        if (State != SipStageState.PromptingNumber && State != SipStageState.PromptingPassword)
        {
            return;
        }

        if (pin.Length == 0 || !SipCredentialStore.IsValid(pin))
        {
            Prompt(State, DisplayTexts.SipEntryInvalid, PinRequestReason.NoneStored, now);
            return;
        }

        if (State == SipStageState.PromptingNumber)
        {
            _number = pin;
            Continue(now);
            return;
        }

        _password = pin;
        _credentials.Write(_number, _password);
        RegistrationEvent saved = new RegistrationEvent(RegistrationEventKind.CredentialsSaved);
        saved.Dn = _number;
        _events.Add(saved);
        Continue(now);
    }

    public void ForgetCredential()
    {
        // The SIP credentials live in the stage's own record; the PIN record is not the line's.
    }

    public void Stop()
    {
        if (_link != null)
        {
            _link.Close();
        }

        _link = null;
        _registration = null;
        Dn = string.Empty;
        Enter(SipStageState.Idle, 0);
    }

    // What the credentials in hand lead to: a prompt for what is missing, or the line.
    private void Continue(long now)
    {
        if (_number.Length == 0)
        {
            Prompt(SipStageState.PromptingNumber, DisplayTexts.SipNumberPrompt, PinRequestReason.NoneStored, now);
        }
        else if (_password.Length == 0)
        {
            Prompt(SipStageState.PromptingPassword, DisplayTexts.SipPasswordPrompt, PinRequestReason.NoneStored, now);
        }
        else if (StartLine(now))
        {
            _registration!.Start(now);
            Enter(SipStageState.Running, now);
            DrainLine(now);
        }
    }

    // A new line machine and link for the credentials in hand; false (and reported) when there is no registrar.
    private bool StartLine(long now)
    {
        SipRegistrationConfig config;
        try
        {
            _link = new SipLink(_network, TransportOf(_line!));
            _link.Open(_settings.SipLocalPort);
            config = _line!.ToRegistrationConfig(Ipv4.Format(_localAddress), _link.LocalPort, _fallbackHost);
        }
        catch (System.ArgumentException e)
        {
            Stop();
            RegistrationEvent unreachable = new RegistrationEvent(RegistrationEventKind.Unreachable);
            unreachable.Text = e.Message;
            _events.Add(unreachable);
            return false;
        }

        SipRegistrationConfig line = new SipRegistrationConfig(config.Servers, config.Domain, _number, config.LocalHost, config.LocalPort);
        line.AuthName = _line.User.Length > 0 && _line.User == _number ? _line.AuthName : _number;
        line.Password = _password;
        line.DisplayName = _line.DisplayName;
        line.Transport = TransportOf(_line);
        line.ExpiresSeconds = config.ExpiresSeconds;
        _registration = new SipRegistration(line, _random);
        Dn = string.Empty;
        Show(DisplayTexts.SipRegistering, config.Servers[0].ToString());
        return true;
    }

    private SipTransport TransportOf(SipPhoneSettings line)
    {
        int code = _settings.SipTransportCode;
        return code == 1 || code == 2 || code == 4 ? (SipTransport)code : line.Transport;
    }

    // A broken link or a failed send fails the transaction in flight: its ServerFailed says so, not "timeout".
    private void OnLinkFailed(long now)
    {
        _failureReason = FailureConnection;
        _registration!.OnTransportError(now);
        DrainLine(now);
        _failureReason = FailureTimeout;
    }

    private void DrainLine(long now)
    {
        SipRegistrationEvent? e;
        while (_registration != null && (e = _registration.PollEvent()) != null)
        {
            OnLineEvent(e, now);
        }
    }

    private void OnLineEvent(SipRegistrationEvent e, long now)
    {
        switch (e.Kind)
        {
            case SipRegistrationEventKind.Registered:
                Dn = _number;
                RegistrationEvent registered = new RegistrationEvent(RegistrationEventKind.Registered);
                registered.Dn = _number;
                registered.DisplayName = _line!.DisplayName;
                registered.Target = e.Text;
                _events.Add(registered);
                _events.Add(new RegistrationEvent(RegistrationEventKind.InService));
                break;
            case SipRegistrationEventKind.Refreshed:
                Report(EventNames.SipRefresh, e);
                break;
            case SipRegistrationEventKind.Challenged:
                Report(EventNames.SipChallenge, e);
                break;
            case SipRegistrationEventKind.IntervalTooBrief:
                Report(EventNames.SipIntervalTooBrief, e);
                break;
            case SipRegistrationEventKind.OptionsAnswered:
                Report(EventNames.SipOptions, e);
                break;
            case SipRegistrationEventKind.Redirected:
            case SipRegistrationEventKind.RedirectLoop:
                RegistrationEvent redirect = new RegistrationEvent(e.Kind == SipRegistrationEventKind.Redirected ? RegistrationEventKind.Redirect : RegistrationEventKind.RedirectLimit);
                redirect.Target = e.Text;
                redirect.Hops = e.Seconds;
                _events.Add(redirect);
                _backoffCause = e.Kind == SipRegistrationEventKind.RedirectLoop ? BackoffCauseRedirectLoop : BackoffCauseUnreachable;
                break;
            case SipRegistrationEventKind.ServerFailed:
                RegistrationEvent failed = new RegistrationEvent(Dn.Length > 0 ? RegistrationEventKind.ConnectionLost : RegistrationEventKind.Unreachable);
                failed.Target = e.Text;
                failed.Text = e.StatusCode == 0 ? _failureReason : "status " + e.StatusCode.ToString();
                _events.Add(failed);
                Dn = string.Empty;
                break;
            case SipRegistrationEventKind.BackingOff:
                RegistrationEvent back = new RegistrationEvent(RegistrationEventKind.Progress);
                back.Stage = RegistrationStage.BackingOff;
                back.Target = _backoffCause;
                back.RetryMilliseconds = (int)e.Milliseconds;
                _backoffCause = BackoffCauseUnreachable;
                _events.Add(back);
                break;
            case SipRegistrationEventKind.CredentialsRefused:
                OnRefused(e, now);
                break;
            case SipRegistrationEventKind.Unregistered:
                Report(EventNames.SipUnregistered, e);
                if (State == SipStageState.RemovingBinding)
                {
                    ClearAll("star-held-at-power-up", e.StatusCode, now);
                }
                else if (State == SipStageState.Unregistering)
                {
                    Dn = string.Empty;
                    CloseLine();
                    Enter(SipStageState.Idle, now);
                }

                break;
        }
    }

    // 403/404 (or a repeated non-stale 401): the password goes, the number stays, and the set says why.
    private void OnRefused(SipRegistrationEvent e, long now)
    {
        Dn = string.Empty;
        _password = string.Empty;
        _credentials.Write(_number, string.Empty);
        RegistrationEvent cleared = new RegistrationEvent(RegistrationEventKind.CredentialsCleared);
        cleared.Text = "credentials-refused";
        cleared.Dn = _number;
        cleared.Status = e.StatusCode;
        cleared.Target = e.Text;
        _events.Add(cleared);
        CloseLine();
        Prompt(SipStageState.PromptingPassword, DisplayTexts.SipRefused(RegistrarOf(e.Text)), PinRequestReason.WrongPin, now);
    }

    private void ClearAll(string reason, int status, long now)
    {
        _credentials.Write(string.Empty, string.Empty);
        _number = string.Empty;
        _password = string.Empty;
        RegistrationEvent cleared = new RegistrationEvent(RegistrationEventKind.CredentialsCleared);
        cleared.Text = reason;
        cleared.Status = status;
        _events.Add(cleared);
        CloseLine();
        Continue(now);
    }

    private void CloseLine()
    {
        if (_link != null)
        {
            _link.Close();
        }

        _link = null;
        _registration = null;
    }

    private void Prompt(SipStageState next, string text, PinRequestReason reason, long now)
    {
        RegistrationEvent prompt = new RegistrationEvent(RegistrationEventKind.Prompt);
        prompt.Reason = reason;
        prompt.Text = text;
        prompt.Target = next == SipStageState.PromptingNumber ? "number" : "password";
        _events.Add(prompt);
        Enter(next, now);
    }

    private void Report(string name, SipRegistrationEvent e)
    {
        RegistrationEvent report = new RegistrationEvent(RegistrationEventKind.ProtocolReport);
        report.Text = name;
        report.Status = e.StatusCode;
        report.Seconds = e.Seconds;
        report.Target = e.Text;
        _events.Add(report);
    }

    private void Show(string top, string bottom)
    {
        RegistrationEvent first = new RegistrationEvent(RegistrationEventKind.DisplayText);
        first.Row = 0;
        first.Text = top;
        _events.Add(first);
        RegistrationEvent second = new RegistrationEvent(RegistrationEventKind.DisplayText);
        second.Row = 1;
        second.Text = bottom;
        _events.Add(second);
    }

    private static string RegistrarOf(string target)
    {
        int colon = target.IndexOf(':');
        return colon > 0 ? target.Substring(0, colon) : target;
    }

    /// <summary>The one place the stage's state changes.</summary>
    private void Enter(SipStageState next, long now)
    {
        State = next;
    }
}
