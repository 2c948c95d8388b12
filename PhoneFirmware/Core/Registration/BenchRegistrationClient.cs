using System.Collections;
using Hal;
using PhoneFirmware.Core.Boot;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Registration;

namespace PhoneFirmware.Core.Registration;

/// <summary>
/// The phone's side of the bench registration protocol as one state machine: connect → Register
/// (MAC, stored PIN or none) → PIN prompt / registered (+ save PIN) / redirect / clear PIN /
/// reset; keepalives while registered (<see cref="InServiceMonitor"/>); failover to the DN's secondary and return to the primary.
/// Where to go after a failure is <see cref="HomingPlan"/>'s. Every state change goes through
/// <see cref="Enter"/>. Frames, PINs and the time in; frames, events and the next deadline out.
/// </summary>
public sealed class BenchRegistrationClient : IRegistrationStage
{
    private readonly INetworkInterface _network;
    private readonly PhoneSettings _settings;
    private readonly HomingPlan _plan;
    private readonly HostLookup _lookup;
    private readonly InServiceMonitor _inService;
    private readonly ArrayList _events = new ArrayList();
    private CallServerConnection? _connection;
    private uint[] _dnsServers = new uint[0];
    private string? _credential;
    private string? _pinInFlight;
    private long _stateDeadline = Deadline.None;

    public BenchRegistrationClient(INetworkInterface network, PhoneSettings settings, IRandomSource random)
    {
        _network = network;
        _settings = settings;
        _plan = new HomingPlan(settings);
        _lookup = new HostLookup(network, random);
        _inService = new InServiceMonitor(network, settings);
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
        _dnsServers = dnsServers;
        _credential = credential;
        _plan.Begin(servers);
        if (_plan.HasServers)
        {
            Enter(BenchRegistrationState.Connecting, now);
        }
    }

    public RegistrationEvent? PollEvent()
    {
        if (_events.Count == 0)
        {
            return null;
        }

        RegistrationEvent next = (RegistrationEvent)_events[0]!;
        _events.RemoveAt(0);
        return next;
    }

    public void SubmitPin(string pin, long now)
    {
        if (State != BenchRegistrationState.PinPrompt || _connection == null)
        {
            return;
        }

        _pinInFlight = pin;
        _connection.Send(RegistrationMessage.PinEntry(pin));
        Enter(BenchRegistrationState.WaitingForAck, now);
    }

    public void ForgetCredential()
    {
        _credential = null;
    }

    public void Stop()
    {
        DropLinks();
        _lookup.Cancel();
        Dn = string.Empty;
        _pinInFlight = null;
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
                return _lookup.State == HostLookupState.Resolving ? Deadline.Earliest(_stateDeadline, _lookup.Step(now)) : _stateDeadline;
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
            StepLookup(now);
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
        switch (message.Type)
        {
            case RegistrationMessageType.PinRequest:
                Prompt(message, now);
                break;
            case RegistrationMessageType.Registered:
                OnRegistered(message, now);
                break;
            case RegistrationMessageType.Redirect:
                OnRedirect(message, now);
                break;
            case RegistrationMessageType.ClearPin:
                _credential = null;
                RegistrationEvent clear = new RegistrationEvent(RegistrationEventKind.ClearPin);
                clear.Reason = message.Reason;
                Publish(clear);
                Prompt(message, now);
                break;
            case RegistrationMessageType.Reset:
                RegistrationEvent reset = new RegistrationEvent(RegistrationEventKind.Reset);
                reset.Text = message.Text;
                Publish(reset);
                Stop();
                break;
            case RegistrationMessageType.DisplayText:
                RegistrationEvent text = new RegistrationEvent(RegistrationEventKind.DisplayText);
                text.Row = message.Row;
                text.Text = message.Text;
                Publish(text);
                break;
            case RegistrationMessageType.Keepalive:
                _connection!.Send(RegistrationMessage.KeepaliveAck(message.Sequence));
                break;
            case RegistrationMessageType.Error:
                RegistrationEvent error = new RegistrationEvent(RegistrationEventKind.ServerError);
                error.Text = message.Text;
                Publish(error);
                Fail("error: " + message.Text, now);
                return;
            case RegistrationMessageType.KeepaliveAck:
                break;
            default:
                // A frame type from a newer protocol version: say so and carry on (docs/registration-protocol.md).
                _connection!.Send(RegistrationMessage.Error("unknown frame type " + ((int)message.Type).ToString()));
                return;
        }

        if (State == BenchRegistrationState.WaitingForComms && _connection != null)
        {
            // Any frame after the acknowledgement is communication: the set is in service.
            EnterInService(now);
        }
    }

    private void Prompt(RegistrationMessage message, long now)
    {
        _pinInFlight = null;
        RegistrationEvent prompt = new RegistrationEvent(RegistrationEventKind.Prompt);
        prompt.Reason = message.Reason;
        prompt.RetrySeconds = message.RetrySeconds;
        Publish(prompt);
        Enter(BenchRegistrationState.PinPrompt, now);
    }

    private void OnRegistered(RegistrationMessage message, long now)
    {
        if (message.SavePin)
        {
            SavePinInFlight();
        }

        Dn = message.Dn;
        _pinInFlight = null;
        ServerEndpoint? other = Endpoint(message.AlternateHost, message.AlternatePort);
        bool atSecondary = _plan.Route == RegistrationRoute.Failover;
        // At the secondary the other element is the primary, kept only when return is allowed.
        _plan.Registered(atSecondary && !message.AllowReturn ? null : other);
        RegistrationEvent registered = new RegistrationEvent(RegistrationEventKind.Registered);
        registered.Dn = message.Dn;
        registered.DisplayName = message.DisplayName;
        registered.Target = _connection!.Target;
        registered.Route = _plan.Route;
        Publish(registered);
        Enter(BenchRegistrationState.WaitingForComms, now);
    }

    private void OnRedirect(RegistrationMessage message, long now)
    {
        if (message.SavePin)
        {
            SavePinInFlight();
        }

        string from = _connection!.Target;
        ServerEndpoint? target = Endpoint(message.Host, message.Port);
        if (target == null)
        {
            Fail("redirect without a host", now);
            return;
        }

        ServerEndpoint? secondary = Endpoint(message.AlternateHost, message.AlternatePort);
        DropLinks();
        if (_plan.Redirect(target, secondary))
        {
            RegistrationEvent redirect = new RegistrationEvent(RegistrationEventKind.Redirect);
            redirect.Target = Text(target);
            redirect.From = from;
            redirect.Hops = _plan.Hops;
            Publish(redirect);
            EnterRoute(now);
            return;
        }

        RegistrationEvent limit = new RegistrationEvent(RegistrationEventKind.RedirectLimit);
        limit.Target = Text(target);
        limit.From = from;
        limit.Hops = _plan.Hops;
        Publish(limit);
        Follow(_plan.RedirectLimitReached(secondary), now);
    }

    private void SavePinInFlight()
    {
        if (_pinInFlight == null || _pinInFlight == _credential || !_settings.HasPinMemory)
        {
            return;
        }

        _credential = _pinInFlight;
        RegistrationEvent save = new RegistrationEvent(RegistrationEventKind.SavePin);
        save.Pin = _pinInFlight;
        Publish(save);
    }

    private void SendRegister(long now)
    {
        _pinInFlight = _credential;
        RegistrationMessage register = RegistrationMessage.Register(_network.MacAddress, _settings.SetType, _settings.FirmwareVersion, _credential);
        register.Failover = _plan.Route == RegistrationRoute.Failover;
        _connection!.Send(register);
        RegistrationEvent sent = new RegistrationEvent(RegistrationEventKind.RegisterSent);
        sent.Target = _connection.Target;
        sent.HasPin = _credential != null;
        Publish(sent);
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
                OpenLink(now);
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

    // A server named by FQDN is looked up (without blocking) at every connection, at the lease's DNS servers.
    private void OpenLink(long now)
    {
        ServerEndpoint server = _plan.Current;
        if (server.Address != 0)
        {
            Connect(server.Host, server.Address, server.Port);
            return;
        }

        _lookup.Start(server.Host, _dnsServers, now);
        StepLookup(now);
    }

    private void StepLookup(long now)
    {
        if (_lookup.State == HostLookupState.Resolving)
        {
            _lookup.Step(now);
        }

        if (_lookup.State == HostLookupState.Resolved)
        {
            uint address = _lookup.Address;
            RegistrationEvent resolved = new RegistrationEvent(RegistrationEventKind.Resolved);
            resolved.Target = _lookup.Name;
            resolved.Text = Ipv4.Format(address);
            Publish(resolved);
            _lookup.Cancel();
            Connect(_plan.Current.Host, address, _plan.Current.Port);
        }
        else if (_lookup.State == HostLookupState.Failed)
        {
            string reason = _lookup.FailureReason;
            _lookup.Cancel();
            Fail("cannot-resolve " + _plan.Current.Host + ": " + reason, now);
        }
        else if (now >= _stateDeadline)
        {
            _lookup.Cancel();
            Fail("cannot-resolve " + _plan.Current.Host + ": timeout", now);
        }
    }

    private void Connect(string host, uint address, int port)
    {
        int usedPort = port != 0 ? port : _settings.CallServerDefaultPort;
        _connection = new CallServerConnection(_network.Connect(address, usedPort), host, usedPort);
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

    private static ServerEndpoint? Endpoint(string host, int port)
    {
        if (host.Length == 0)
        {
            return null;
        }

        ServerEndpoint endpoint = new ServerEndpoint();
        endpoint.Host = host;
        uint address;
        endpoint.Address = Ipv4.TryParse(host, out address) ? address : 0;
        endpoint.Port = port;
        return endpoint;
    }

    private string Text(ServerEndpoint server)
    {
        return server.Host + ":" + (server.Port != 0 ? server.Port : _settings.CallServerDefaultPort).ToString();
    }
}
