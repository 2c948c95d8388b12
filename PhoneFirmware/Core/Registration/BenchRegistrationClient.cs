using Hal;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Registration;

namespace PhoneFirmware.Core.Registration;

/// <summary>
/// The phone's side of the bench registration protocol as one state machine: connect → Register
/// (MAC, stored PIN or none) → PIN prompt / registered (+ save PIN) / redirect / clear PIN /
/// reset; keepalives while registered (<see cref="InServiceMonitor"/>); failover to the DN's secondary and return to the primary.
/// What a frame means (and the PIN frames carry) is <see cref="BenchFrameExchange"/>'s; where to
/// go after a failure is <see cref="HomingPlan"/>'s. Every state change goes through
/// <see cref="Enter"/>. Frames, PINs and the time in; frames, events and the next deadline out.
/// </summary>
public sealed class BenchRegistrationClient : IRegistrationStage
{
    private readonly PhoneSettings _settings;
    private readonly HomingPlan _plan;
    private readonly CallServerDialer _dialer;
    private readonly InServiceMonitor _inService;
    private readonly BenchFrameExchange _frames;
    private readonly RegistrationEventQueue _events = new RegistrationEventQueue();
    private CallServerConnection? _connection;
    private long _stateDeadline = Deadline.None;

    public BenchRegistrationClient(INetworkInterface network, PhoneSettings settings, IRandomSource random)
    {
        _settings = settings;
        _plan = new HomingPlan(settings);
        _inService = new InServiceMonitor(network, settings);
        _dialer = new CallServerDialer(network, settings, random, _events);
        _frames = new BenchFrameExchange(network, settings, _plan, _events);
    }

    public BenchRegistrationState State { get; private set; } = BenchRegistrationState.Idle;

    public string Dn { get; private set; } = string.Empty;

    public RegistrationPhase Phase
    {
        get
        {
            switch (State)
            {
                case BenchRegistrationState.Idle: return RegistrationPhase.Idle;
                case BenchRegistrationState.PinPrompt: return RegistrationPhase.Prompting;
                case BenchRegistrationState.Registered:
                case BenchRegistrationState.RegisteredAtSecondary: return RegistrationPhase.Registered;
                case BenchRegistrationState.BackingOff: return RegistrationPhase.BackingOff;
                default: return RegistrationPhase.Homing;
            }
        }
    }

    public void Start(ServerEndpoint[] servers, uint[] dnsServers, string? credential, long now)
    {
        Stop();
        _dialer.UseDnsServers(dnsServers);
        _frames.UseCredential(credential);
        _plan.Begin(servers);
        if (_plan.HasServers)
        {
            Enter(BenchRegistrationState.Connecting, now);
        }
    }

    public RegistrationEvent? PollEvent()
    {
        return _events.Poll();
    }

    public void SubmitPin(string pin, long now)
    {
        if (State != BenchRegistrationState.PinPrompt || _connection == null)
        {
            return;
        }

        _frames.SendPin(_connection, pin);
        Enter(BenchRegistrationState.WaitingForAck, now);
    }

    public void ForgetCredential()
    {
        _frames.ForgetCredential();
    }

    public void Stop()
    {
        DropLinks();
        _dialer.Cancel();
        Dn = string.Empty;
        _frames.ForgetPinInFlight();
        State = BenchRegistrationState.Idle;
        _stateDeadline = Deadline.None;
    }

    public long Step(long now)
    {
        switch (State)
        {
            case BenchRegistrationState.Idle:
                return Deadline.None;
            case BenchRegistrationState.BackingOff:
                if (now >= _stateDeadline)
                {
                    EnterRoute(now);
                }

                return _stateDeadline;
            case BenchRegistrationState.Connecting:
            case BenchRegistrationState.Redirecting:
            case BenchRegistrationState.FailingOver:
            case BenchRegistrationState.ReturningToPrimary:
                StepLink(now);
                return _dialer.NextDeadline(_stateDeadline, now);
        }

        if (!ReceiveAll(now))
        {
            return _stateDeadline;
        }

        if (_connection != null && (_connection.State == StreamState.Closed || _connection.State == StreamState.Failed))
        {
            LinkLost("connection-lost", now);
        }
        else if (State == BenchRegistrationState.Registered || State == BenchRegistrationState.RegisteredAtSecondary)
        {
            StepInService(now);
        }
        else if (_stateDeadline != Deadline.None && now >= _stateDeadline)
        {
            Fail(State == BenchRegistrationState.WaitingForComms ? "no-comms" : "no-reply", now);
        }

        return NextDeadline(now);
    }

    private long NextDeadline(long now)
    {
        if (State == BenchRegistrationState.PinPrompt)
        {
            // The link may close while the user types: look at it now and then.
            return now + 100;
        }

        if (State != BenchRegistrationState.Registered && State != BenchRegistrationState.RegisteredAtSecondary)
        {
            return _stateDeadline;
        }

        return _inService.NextDeadline(PrimaryToProbe(), now);
    }

    // The TCP stage: waits for the link, then sends Register.
    private void StepLink(long now)
    {
        if (_connection == null)
        {
            Dialled(_dialer.Step(_plan.Current, now), now);
            return;
        }

        if (_connection.State == StreamState.Connected)
        {
            SendRegister(now);
        }
        else if (_connection.State == StreamState.Failed || _connection.State == StreamState.Closed || now >= _stateDeadline)
        {
            Fail("tcp-connect-failed", now);
        }
    }

    // False when a frame moved the machine off this link.
    private bool ReceiveAll(long now)
    {
        CallServerConnection? link = _connection;
        while (link != null && _connection == link)
        {
            RegistrationMessage? message;
            try
            {
                message = link.Receive();
            }
            catch (ProtocolParseException error)
            {
                Fail("malformed frame: " + error.Message, now);
                return false;
            }

            if (message == null)
            {
                return true;
            }

            _inService.Heard(now);
            OnMessage(message, now);
        }

        return false;
    }

    private void OnMessage(RegistrationMessage message, long now)
    {
        switch (_frames.Read(message, _connection!))
        {
            case BenchFrameVerdict.Prompt:
                Enter(BenchRegistrationState.PinPrompt, now);
                break;
            case BenchFrameVerdict.Registered:
                Dn = message.Dn;
                Enter(BenchRegistrationState.WaitingForComms, now);
                return; // the frame after this one is the communication (docs/registration-protocol.md)
            case BenchFrameVerdict.Redirected:
                DropLinks();
                Follow(_frames.RedirectAction, now);
                return;
            case BenchFrameVerdict.Reset:
                Stop();
                break;
            case BenchFrameVerdict.Failed:
                Fail(_frames.FailureReason, now);
                return;
            case BenchFrameVerdict.NotUnderstood:
                return;
        }

        if (State == BenchRegistrationState.WaitingForComms && _connection != null)
        {
            // Any frame after the acknowledgement is communication: the set is in service.
            EnterInService(now);
        }
    }

    private void SendRegister(long now)
    {
        _frames.SendRegister(_connection!);
        Enter(BenchRegistrationState.WaitingForAck, now);
    }

    // The monitor watches the link; leaving the element is this machine's transition.
    private void StepInService(long now)
    {
        InServiceVerdict verdict = _inService.Step(_connection!, PrimaryToProbe(), now);
        if (verdict == InServiceVerdict.Silent)
        {
            LinkLost("keepalive-timeout", now);
        }
        else if (verdict == InServiceVerdict.PrimaryAnswers)
        {
            // The primary answers again: leave the secondary and register there (no prompt: the PIN is stored).
            RegistrationEvent back = new RegistrationEvent(RegistrationEventKind.ReturnToPrimary);
            back.From = _connection!.Target;
            back.Target = Text(_plan.Alternate!);
            Publish(back);
            DropLinks();
            _plan.ReturnToPrimary();
            EnterRoute(now);
        }
    }

    // At a secondary that may return, the primary is probed; otherwise nothing is.
    private ServerEndpoint? PrimaryToProbe()
    {
        return State == BenchRegistrationState.RegisteredAtSecondary ? _plan.Alternate : null;
    }

    // A registered set that loses its element goes to the DN's secondary if it knows one.
    private void LinkLost(string reason, long now)
    {
        RegistrationEvent lost = new RegistrationEvent(RegistrationEventKind.ConnectionLost);
        lost.Target = _connection != null ? _connection.Target : string.Empty;
        lost.Text = reason;
        Publish(lost);
        if (State == BenchRegistrationState.Registered && _plan.Alternate != null)
        {
            RegistrationEvent failover = new RegistrationEvent(RegistrationEventKind.Failover);
            failover.From = lost.Target;
            failover.Target = Text(_plan.Alternate);
            failover.Text = reason;
            Publish(failover);
            DropLinks();
            _plan.Failover();
            EnterRoute(now);
            return;
        }

        Fail(reason, now);
    }

    private void Fail(string reason, long now)
    {
        RegistrationEvent failed = new RegistrationEvent(RegistrationEventKind.Unreachable);
        failed.Target = _connection != null ? _connection.Target : Text(_plan.Current);
        failed.Text = reason;
        failed.Route = _plan.Route;
        Publish(failed);
        DropLinks();
        Dn = string.Empty;
        Follow(_plan.Failed(), now);
    }

    private void Follow(HomingAction action, long now)
    {
        if (action == HomingAction.TryNow)
        {
            EnterRoute(now);
        }
        else
        {
            Enter(BenchRegistrationState.BackingOff, now);
        }
    }

    private void EnterRoute(long now)
    {
        switch (_plan.Route)
        {
            case RegistrationRoute.RedirectTarget:
            case RegistrationRoute.RedirectSecondary:
                Enter(BenchRegistrationState.Redirecting, now);
                break;
            case RegistrationRoute.Failover:
                Enter(BenchRegistrationState.FailingOver, now);
                break;
            case RegistrationRoute.ReturnToPrimary:
                Enter(BenchRegistrationState.ReturningToPrimary, now);
                break;
            default:
                Enter(BenchRegistrationState.Connecting, now);
                break;
        }
    }

    private void EnterInService(long now)
    {
        _inService.Begin(now);
        Enter(_plan.Route == RegistrationRoute.Failover ? BenchRegistrationState.RegisteredAtSecondary : BenchRegistrationState.Registered, now);
        Publish(new RegistrationEvent(RegistrationEventKind.InService));
    }

    /// <summary>The one place state changes: entry actions, the state's deadline, the progress shown.</summary>
    private void Enter(BenchRegistrationState next, long now)
    {
        State = next;
        _stateDeadline = Deadline.None;
        switch (next)
        {
            case BenchRegistrationState.Connecting:
            case BenchRegistrationState.Redirecting:
            case BenchRegistrationState.FailingOver:
            case BenchRegistrationState.ReturningToPrimary:
                _stateDeadline = now + _settings.CallServerTimeoutMilliseconds;
                ProgressEvent(RegistrationStage.TcpLink, Text(_plan.Current), 0);
                Dialled(_dialer.Dial(_plan.Current, now), now);
                break;
            case BenchRegistrationState.WaitingForAck:
                _stateDeadline = now + _settings.CallServerTimeoutMilliseconds;
                ProgressEvent(RegistrationStage.Ack, _connection!.Target, 0);
                break;
            case BenchRegistrationState.WaitingForComms:
                // Ask at once: the first answer is the communication the set waits for.
                _inService.SendKeepalive(_connection!);
                _stateDeadline = now + _settings.CallServerTimeoutMilliseconds;
                ProgressEvent(RegistrationStage.Comms, _connection!.Target, 0);
                break;
            case BenchRegistrationState.BackingOff:
                _stateDeadline = now + _plan.BackOffMilliseconds;
                ProgressEvent(RegistrationStage.BackingOff, _plan.BackOffCause, _plan.BackOffMilliseconds);
                break;
        }
    }

    // The link once there is one; a name that does not resolve in the state's time fails the server.
    private void Dialled(CallServerConnection? link, long now)
    {
        if (link != null)
        {
            _connection = link;
        }
        else if (_dialer.FailureReason.Length > 0)
        {
            Fail(_dialer.FailureReason, now);
        }
        else if (now >= _stateDeadline)
        {
            _dialer.Cancel();
            Fail("cannot-resolve " + _plan.Current.Host + ": timeout", now);
        }
    }

    private void ProgressEvent(RegistrationStage stage, string target, int retryMilliseconds)
    {
        RegistrationEvent progress = new RegistrationEvent(RegistrationEventKind.Progress);
        progress.Stage = stage;
        progress.Route = _plan.Route;
        progress.Target = target;
        progress.RetryMilliseconds = retryMilliseconds;
        Publish(progress);
    }

    private void DropLinks()
    {
        if (_connection != null)
        {
            _connection.Close();
            _connection = null;
        }

        _inService.DropProbe();
    }

    private void Publish(RegistrationEvent registrationEvent)
    {
        _events.Add(registrationEvent);
    }

    private string Text(ServerEndpoint server)
    {
        return ElementEndpoint.Describe(server, _settings.CallServerDefaultPort);
    }
}
