using Hal;
using PhoneFirmware.Core.Display;
using PhoneFirmware.Core.Events;
using Protocol.Common;
using Protocol.Sip;

namespace PhoneFirmware.Core.Registration.Sip;

/// <summary>
/// The line of <see cref="SipRegistrationStage"/>: one <see cref="SipRegistration"/> over its own
/// <see cref="SipLink"/> for the number and password the stage hands it, stepped by
/// <see cref="Step"/>. Its events map to the shared <see cref="RegistrationEventKind"/>s where the
/// meaning is the same, else to sip.* reports; a refusal and a removed binding go back to the
/// stage (<see cref="ISipLineListener"/>). Where the credentials come from is the stage's.
/// </summary>
public sealed class SipLine
{
    private const string BackoffCauseUnreachable = "unreachable";
    private const string BackoffCauseRedirectLoop = "redirect-loop";
    private const string FailureTimeout = "timeout";
    private const string FailureConnection = "connection failed";
    private readonly INetworkInterface _network;
    private readonly PhoneSettings _settings;
    private readonly IRandomSource _random;
    private readonly RegistrationEventQueue _events;
    private readonly ISipLineListener _listener;
    private string _number = string.Empty;
    private string _displayName = string.Empty;
    private SipRegistration? _registration;
    private SipLink? _link;

    // Why the next back-off waits, as docs/display.md names it: a redirect chain past the hop limit, else unreachable.
    private string _backoffCause = BackoffCauseUnreachable;

    // What a server failure without a status was: no answer in time, unless the link itself failed just now.
    private string _failureReason = FailureTimeout;

    public SipLine(INetworkInterface network, PhoneSettings settings, IRandomSource random, RegistrationEventQueue events, ISipLineListener listener)
    {
        _network = network;
        _settings = settings;
        _random = random;
        _events = events;
        _listener = listener;
    }

    /// <summary>The line machine while the line is open, else null.</summary>
    public SipRegistration? Registration => _registration;

    /// <summary>The number registered on, or empty.</summary>
    public string Dn { get; private set; } = string.Empty;

    /// <summary>
    /// A new line machine and link for <paramref name="number"/> and <paramref name="password"/>
    /// under <paramref name="line"/>'s settings; false (Unreachable reported, the line closed) when
    /// there is no registrar.
    /// </summary>
    public bool Open(SipPhoneSettings line, string number, string password, uint localAddress, string fallbackHost)
    {
        SipRegistrationConfig config;
        try
        {
            _link = new SipLink(_network, TransportOf(line));
            _link.Open(_settings.SipLocalPort);
            config = line.ToRegistrationConfig(Ipv4.Format(localAddress), _link.LocalPort, fallbackHost);
        }
        catch (System.ArgumentException e)
        {
            Close();
            RegistrationEvent unreachable = new RegistrationEvent(RegistrationEventKind.Unreachable);
            unreachable.Text = e.Message;
            _events.Add(unreachable);
            return false;
        }

        SipRegistrationConfig account = new SipRegistrationConfig(config.Servers, config.Domain, number, config.LocalHost, config.LocalPort);
        account.AuthName = line.User.Length > 0 && line.User == number ? line.AuthName : number;
        account.Password = password;
        account.DisplayName = line.DisplayName;
        account.Transport = TransportOf(line);
        account.ExpiresSeconds = config.ExpiresSeconds;
        _number = number;
        _displayName = line.DisplayName;
        _registration = new SipRegistration(account, _random);
        Dn = string.Empty;
        Show(DisplayTexts.SipRegistering, config.Servers[0].ToString());
        return true;
    }

    /// <summary>The first REGISTER of the open line.</summary>
    public void Register(long now)
    {
        _registration!.Start(now);
    }

    /// <summary>Removes the open line's binding (Expires: 0); the end comes to <see cref="ISipLineListener.OnUnregistered"/>.</summary>
    public void Unregister(long now)
    {
        _registration!.Unregister(now);
    }

    /// <summary>What came in, what goes out and what it led to, up to <paramref name="now"/>; when the line next needs a step.</summary>
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

            Drain(now);
        }

        Drain(now);
        return _registration == null ? Deadline.None : _registration.NextDeadline;
    }

    /// <summary>The line machine's events so far, mapped (the listener's may close the line).</summary>
    public void Drain(long now)
    {
        SipRegistrationEvent? e;
        while (_registration != null && (e = _registration.PollEvent()) != null)
        {
            OnLineEvent(e, now);
        }
    }

    public void Close()
    {
        if (_link != null)
        {
            _link.Close();
        }

        _link = null;
        _registration = null;
        Dn = string.Empty;
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
        Drain(now);
        _failureReason = FailureTimeout;
    }

    private void OnLineEvent(SipRegistrationEvent e, long now)
    {
        switch (e.Kind)
        {
            case SipRegistrationEventKind.Registered:
                Dn = _number;
                RegistrationEvent registered = new RegistrationEvent(RegistrationEventKind.Registered);
                registered.Dn = _number;
                registered.DisplayName = _displayName;
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
                _listener.OnCredentialsRefused(e, now);
                break;
            case SipRegistrationEventKind.Unregistered:
                Report(EventNames.SipUnregistered, e);
                _listener.OnUnregistered(e, now);
                break;
        }
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
}
