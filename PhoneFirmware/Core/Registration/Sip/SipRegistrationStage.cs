using Hal;
using PhoneFirmware.Core.Display;
using PhoneFirmware.Core.Storage;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Registration;
using Protocol.Sip;

namespace PhoneFirmware.Core.Registration.Sip;

/// <summary>
/// The registration stage in SIP (docs/sip.md): the line's settings from the configuration
/// files, its credentials from flash (which win) or from the keypad (number, then password),
/// then the <see cref="SipLine"/> (a <see cref="SipRegistration"/> over a <see cref="SipLink"/>).
/// '*' at power-up removes the stored binding (Expires: 0) before clearing and prompting; refused
/// credentials clear the password and prompt again saying why; a 3xx re-homes without a prompt
/// (the line's). Every state change goes through <see cref="Enter"/>.
/// </summary>
public sealed class SipRegistrationStage : IRegistrationStage, ISipLineListener
{
    private const string StarHeldAtPowerUp = "star-held-at-power-up";
    private readonly SipCredentialStore _credentials;
    private readonly RegistrationEventQueue _events = new RegistrationEventQueue();
    private readonly SipLine _line;
    private SipConfigFile _files = new SipConfigFile();
    private uint _localAddress;
    private bool _resetAtStart;
    private string _fallbackHost = string.Empty;
    private string _number = string.Empty;
    private string _password = string.Empty;
    private SipPhoneSettings? _lineSettings;

    public SipRegistrationStage(INetworkInterface network, PhoneSettings settings, IRandomSource random, IFlashRegion flash)
    {
        _credentials = new SipCredentialStore(flash, PhoneFlashLayout.SipCredentialOffset);
        _line = new SipLine(network, settings, random, _events, this);
    }

    public SipStageState State { get; private set; } = SipStageState.Idle;

    public string Dn => _line.Dn;

    /// <summary>The line machine while Running (or removing the binding), else null.</summary>
    public SipRegistration? Line => _line.Registration;

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
                    SipRegistrationState line = _line.Registration!.State;
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
        _lineSettings = SipPhoneSettings.From(_files);
        _credentials.Load();

        // Local changes on the set win over the files, as on the vendor's sets.
        _number = _credentials.Number.Length > 0 ? _credentials.Number : _lineSettings.User;
        _password = _credentials.Password.Length > 0 ? _credentials.Password : _lineSettings.Password;
        if (_resetAtStart)
        {
            _resetAtStart = false;
            if (_number.Length > 0 && _password.Length > 0 && StartLine())
            {
                _line.Unregister(now);
                Enter(SipStageState.RemovingBinding, now);
                return;
            }

            ClearAll(StarHeldAtPowerUp, 0, now);
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
        if (State != SipStageState.Running || _line.Registration == null)
        {
            return false;
        }

        _line.Unregister(now);
        Enter(SipStageState.Unregistering, now);
        return true;
    }

    public long Step(long now)
    {
        return _line.Step(now);
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
        _line.Close();
        Enter(SipStageState.Idle, 0);
    }

    // 403/404 (or a repeated non-stale 401): the password goes, the number stays, and the set says why.
    void ISipLineListener.OnCredentialsRefused(SipRegistrationEvent refusal, long now)
    {
        _password = string.Empty;
        _credentials.Write(_number, string.Empty);
        RegistrationEvent cleared = new RegistrationEvent(RegistrationEventKind.CredentialsCleared);
        cleared.Text = "credentials-refused";
        cleared.Dn = _number;
        cleared.Status = refusal.StatusCode;
        cleared.Target = refusal.Text;
        _events.Add(cleared);
        _line.Close();
        Prompt(SipStageState.PromptingPassword, DisplayTexts.SipRefused(RegistrarOf(refusal.Text)), PinRequestReason.WrongPin, now);
    }

    // '*' at power-up: the binding is gone (or its removal went unanswered), so the credentials go too; a clean leave ends Idle.
    void ISipLineListener.OnUnregistered(SipRegistrationEvent removal, long now)
    {
        if (State == SipStageState.RemovingBinding)
        {
            ClearAll(StarHeldAtPowerUp, removal.StatusCode, now);
        }
        else if (State == SipStageState.Unregistering)
        {
            _line.Close();
            Enter(SipStageState.Idle, now);
        }
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
        else if (StartLine())
        {
            _line.Register(now);
            Enter(SipStageState.Running, now);
            _line.Drain(now);
        }
    }

    // The line for the credentials in hand; false (reported by the line, the stage Idle) when there is no registrar.
    private bool StartLine()
    {
        if (_line.Open(_lineSettings!, _number, _password, _localAddress, _fallbackHost))
        {
            return true;
        }

        Enter(SipStageState.Idle, 0);
        return false;
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
        _line.Close();
        Continue(now);
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
