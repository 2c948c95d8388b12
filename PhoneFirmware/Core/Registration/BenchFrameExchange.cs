using Hal;
using Protocol.Dhcp;
using Protocol.Registration;

namespace PhoneFirmware.Core.Registration;

/// <summary>
/// The frames of <see cref="BenchRegistrationClient"/>: what the phone sends (Register with the
/// stored PIN, PinEntry with the typed one) and what each frame from the element means
/// (docs/registration-protocol.md, what the phone does with each frame). It keeps the PIN the
/// frames carry (stored, in flight, saved when the element says so), publishes what a frame says
/// and updates the homing plan for Registered and Redirect; the state change is the machine's,
/// told by the <see cref="BenchFrameVerdict"/> <see cref="Read"/> returns.
/// </summary>
public sealed class BenchFrameExchange
{
    private readonly INetworkInterface _network;
    private readonly PhoneSettings _settings;
    private readonly HomingPlan _plan;
    private readonly RegistrationEventQueue _events;
    private string? _credential;
    private string? _pinInFlight;

    public BenchFrameExchange(INetworkInterface network, PhoneSettings settings, HomingPlan plan, RegistrationEventQueue events)
    {
        _network = network;
        _settings = settings;
        _plan = plan;
        _events = events;
    }

    /// <summary>Where a <see cref="BenchFrameVerdict.Redirected"/> leads: the target at once, or a back-off after the hop limit.</summary>
    public HomingAction RedirectAction { get; private set; }

    /// <summary>Why the element failed, for <see cref="BenchFrameVerdict.Failed"/>.</summary>
    public string FailureReason { get; private set; } = string.Empty;

    /// <summary>The PIN from flash (or saved since), sent with Register; null when none is stored.</summary>
    public void UseCredential(string? credential)
    {
        _credential = credential;
    }

    public void ForgetCredential()
    {
        _credential = null;
    }

    /// <summary>No PIN awaits the element's answer any more (the machine stopped).</summary>
    public void ForgetPinInFlight()
    {
        _pinInFlight = null;
    }

    public void SendRegister(CallServerConnection connection)
    {
        _pinInFlight = _credential;
        RegistrationMessage register = RegistrationMessage.Register(_network.MacAddress, _settings.SetType, _settings.FirmwareVersion, _credential);
        register.Failover = _plan.Route == RegistrationRoute.Failover;
        connection.Send(register);
        RegistrationEvent sent = new RegistrationEvent(RegistrationEventKind.RegisterSent);
        sent.Target = connection.Target;
        sent.HasPin = _credential != null;
        Publish(sent);
    }

    public void SendPin(CallServerConnection connection, string pin)
    {
        _pinInFlight = pin;
        connection.Send(RegistrationMessage.PinEntry(pin));
    }

    /// <summary>One frame from the element: its events and answer; the verdict says which state follows.</summary>
    public BenchFrameVerdict Read(RegistrationMessage message, CallServerConnection connection)
    {
        switch (message.Type)
        {
            case RegistrationMessageType.PinRequest:
                Prompt(message);
                return BenchFrameVerdict.Prompt;
            case RegistrationMessageType.Registered:
                OnRegistered(message, connection);
                return BenchFrameVerdict.Registered;
            case RegistrationMessageType.Redirect:
                return OnRedirect(message, connection);
            case RegistrationMessageType.ClearPin:
                _credential = null;
                RegistrationEvent clear = new RegistrationEvent(RegistrationEventKind.ClearPin);
                clear.Reason = message.Reason;
                Publish(clear);
                Prompt(message);
                return BenchFrameVerdict.Prompt;
            case RegistrationMessageType.Reset:
                RegistrationEvent reset = new RegistrationEvent(RegistrationEventKind.Reset);
                reset.Text = message.Text;
                Publish(reset);
                return BenchFrameVerdict.Reset;
            case RegistrationMessageType.DisplayText:
                RegistrationEvent text = new RegistrationEvent(RegistrationEventKind.DisplayText);
                text.Row = message.Row;
                text.Text = message.Text;
                Publish(text);
                return BenchFrameVerdict.Communicated;
            case RegistrationMessageType.Keepalive:
                connection.Send(RegistrationMessage.KeepaliveAck(message.Sequence));
                return BenchFrameVerdict.Communicated;
            case RegistrationMessageType.Error:
                RegistrationEvent error = new RegistrationEvent(RegistrationEventKind.ServerError);
                error.Text = message.Text;
                Publish(error);
                FailureReason = "error: " + message.Text;
                return BenchFrameVerdict.Failed;
            case RegistrationMessageType.KeepaliveAck:
                return BenchFrameVerdict.Communicated;
            default:
                // A frame type from a newer protocol version: say so and carry on (docs/registration-protocol.md).
                connection.Send(RegistrationMessage.Error("unknown frame type " + ((int)message.Type).ToString()));
                return BenchFrameVerdict.NotUnderstood;
        }
    }

    private void Prompt(RegistrationMessage message)
    {
        _pinInFlight = null;
        RegistrationEvent prompt = new RegistrationEvent(RegistrationEventKind.Prompt);
        prompt.Reason = message.Reason;
        prompt.RetrySeconds = message.RetrySeconds;
        Publish(prompt);
    }

    private void OnRegistered(RegistrationMessage message, CallServerConnection connection)
    {
        if (message.SavePin)
        {
            SavePinInFlight();
        }

        _pinInFlight = null;
        ServerEndpoint? other = ElementEndpoint.FromFrame(message.AlternateHost, message.AlternatePort);
        bool atSecondary = _plan.Route == RegistrationRoute.Failover;
        // At the secondary the other element is the primary, kept only when return is allowed.
        _plan.Registered(atSecondary && !message.AllowReturn ? null : other);
        RegistrationEvent registered = new RegistrationEvent(RegistrationEventKind.Registered);
        registered.Dn = message.Dn;
        registered.DisplayName = message.DisplayName;
        registered.Target = connection.Target;
        registered.Route = _plan.Route;
        Publish(registered);
    }

    private BenchFrameVerdict OnRedirect(RegistrationMessage message, CallServerConnection connection)
    {
        if (message.SavePin)
        {
            SavePinInFlight();
        }

        ServerEndpoint? target = ElementEndpoint.FromFrame(message.Host, message.Port);
        if (target == null)
        {
            FailureReason = "redirect without a host";
            return BenchFrameVerdict.Failed;
        }

        ServerEndpoint? secondary = ElementEndpoint.FromFrame(message.AlternateHost, message.AlternatePort);
        bool followed = _plan.Redirect(target, secondary);
        RegistrationEvent redirect = new RegistrationEvent(followed ? RegistrationEventKind.Redirect : RegistrationEventKind.RedirectLimit);
        redirect.Target = ElementEndpoint.Describe(target, _settings.CallServerDefaultPort);
        redirect.From = connection.Target;
        redirect.Hops = _plan.Hops;
        Publish(redirect);
        RedirectAction = followed ? HomingAction.TryNow : _plan.RedirectLimitReached(secondary);
        return BenchFrameVerdict.Redirected;
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

    private void Publish(RegistrationEvent registrationEvent)
    {
        _events.Add(registrationEvent);
    }
}
