using System;
using Hal;
using Hal.Host;
using PhoneFirmware.Core;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using Protocol.Common;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// One phone of the fleet: the portable core on its own MAC, flash, keypad and network, stepped
/// by its <see cref="FleetWorker"/> only. It watches its own events to know its outcome and how
/// long each boot phase took, types its PIN when the prompt opens, and forwards events to the
/// fleet's output.
/// </summary>
public sealed class FleetPhone : IPhoneEventSink
{
    private readonly IFlashRegion _flash;
    private readonly QueuedKeypad _keypad = new();
    private readonly string? _pinToType;
    private readonly string? _numberToType; // SIP, typed: the number prompt comes before the password's
    private readonly FleetEventOutput? _output;
    private long _now;
    private string? _keysToType; // typed at the step after the prompt opened
    private bool _typingPin;
    private bool _typedNumber;
    private PhoneState _seenState = PhoneState.Off;
    private long _stateEnteredAt;
    private long _filesEnteredAt;

    /// <param name="number">The phone's DN: in SIP mode its number (stored with the password, or typed at the number prompt).</param>
    /// <param name="pin">Its PIN (the SIP password in SIP mode), or null.</param>
    public FleetPhone(int index, byte[] mac, IFlashRegion flash, string? number, string? pin, bool typesPin, string? installedImage, FleetNetwork network, PhoneSettings settings, int? seed, FleetEventOutput? output)
    {
        Index = index;
        Mac = MacAddress.Format(mac);
        _flash = flash;
        _output = output;
        Network = network;
        network.Owner = this;
        Worker = network.Worker;
        if (settings.CallControl == CallControl.Sip)
        {
            StoreSipCredentials(flash, typesPin ? null : number, typesPin ? null : pin);
            _numberToType = typesPin ? number : null;
        }
        else if (pin != null && !typesPin && new PinStore(flash).ReadPin() == null)
        {
            new PinStore(flash).Write(pin); // a warm phone: the PIN is in flash before power-up
        }

        ImageVersionStore images = new(flash, PhoneFlashLayout.ImageVersionOffset);
        if (installedImage != null && images.Read() == null)
        {
            images.Write(installedImage, 0); // image current: a manifest naming this version skips it
        }

        _pinToType = typesPin ? pin : null;
        HasPin = pin != null;
        PhoneDevices devices = new(network, flash, DiscardingDisplay.Instance, _keypad, new SystemRandomSource(seed), this, DiscardingImageFlash.Instance);
        Core = new PhoneCore(devices, settings);
    }

    public int Index { get; }

    public string Mac { get; }

    public FleetNetwork Network { get; }

    public FleetWorker Worker { get; }

    public PhoneCore Core { get; }

    /// <summary>Whether the fleet gave this phone a PIN (stored or to type): a prompt without one is its outcome.</summary>
    public bool HasPin { get; }

    /// <summary>The deadline of this phone's live entry in its worker's queue (<see cref="Deadline.None"/>: none).</summary>
    public long ScheduledAt { get; set; } = Deadline.None;

    /// <summary>Whether it holds a place in its worker's window (powered up, not yet settled); set by the worker only.</summary>
    public bool InWindow { get; set; }

    public bool PoweredUp { get; private set; }

    /// <summary>The clock's time of the first registered event; -1 before.</summary>
    public long RegisteredAt { get; private set; } = -1;

    public FleetOutcome Outcome { get; private set; } = FleetOutcome.Pending;

    /// <summary>The core's state after its last step (read by the progress line from another thread).</summary>
    public PhoneState State { get; private set; } = PhoneState.Off;

    public bool Booted { get; private set; }

    public bool Redirected { get; private set; }

    /// <summary>SIP: the registrar challenged it (sip.challenge) at least once.</summary>
    public bool Challenged { get; private set; }

    public bool Prompted { get; private set; }

    /// <summary>A TFTP server left its request unanswered or answered "busy" at least once (tftp.waiting): the storm queued it.</summary>
    public bool WaitedForTftp { get; private set; }

    public bool Typed { get; private set; }

    public string Dn { get; private set; } = string.Empty;

    /// <summary>The last trouble the phone reported (a reset's reason, an unreachable call server), or why it is stuck.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Milliseconds of the last DHCP pass (state Dhcp until BootFiles); -1 before.</summary>
    public long DhcpMilliseconds { get; private set; } = -1;

    /// <summary>Milliseconds of the last boot-file pass (BootFiles until Registration); -1 before.</summary>
    public long BootFilesMilliseconds { get; private set; } = -1;

    /// <summary>Milliseconds from entering Registration to the registered event; -1 before.</summary>
    public long RegistrationMilliseconds { get; private set; } = -1;

    /// <summary>Milliseconds from power-up to the first registered event; -1 before.</summary>
    public long TotalMilliseconds { get; private set; } = -1;

    /// <summary>The clock's time of power-up (with a window, when its place came); -1 before.</summary>
    public long PoweredAt { get; private set; } = -1;

    public void PowerUp(long now)
    {
        _now = now;
        PoweredAt = now;
        PoweredUp = true;
        Core.PowerUp(now);
        NoteState(now);
    }

    public long Step(long now)
    {
        _now = now;
        long deadline = Core.Step(now);
        NoteState(now);
        if (_keysToType != null)
        {
            // The step that published the prompt has opened the entry; keys pressed before it are discarded.
            _keypad.Press(_keysToType + Keys.Confirm);
            _keysToType = null;
            Typed |= _typingPin;
            return now;
        }

        return deadline;
    }

    public void Shutdown(long now)
    {
        _now = now;
        if (Outcome == FleetOutcome.Pending)
        {
            Outcome = FleetOutcome.Failed;
            FailureReason = FailureReason == null ? (PoweredUp ? "stuck-in-" + StateName(State) : "never-powered-up (the window stayed full)") : FailureReason + " (then stuck in " + StateName(State) + ")";
        }

        if (PoweredUp)
        {
            Core.Shutdown(now);
        }

        Network.CloseAll();
        (_flash as IDisposable)?.Dispose();
    }

    public void Publish(PhoneEvent phoneEvent)
    {
        switch (phoneEvent.Name)
        {
            case EventNames.Registered:
                Outcome = FleetOutcome.Registered;
                FailureReason = null;
                Dn = phoneEvent.Find("dn") as string ?? string.Empty;
                if (RegistrationMilliseconds < 0)
                {
                    RegistrationMilliseconds = _now - _stateEnteredAt;
                    TotalMilliseconds = _now - PoweredAt;
                    RegisteredAt = _now;
                }

                break;
            case EventNames.Redirect:
                Redirected = true;
                break;
            case EventNames.PinPrompt:
                Prompted = true;
                if (Outcome == FleetOutcome.Refused)
                {
                    break; // the registrar refused the password it was given: settled, nothing more to type
                }

                if (phoneEvent.Find("entry") as string == "number")
                {
                    // SIP: the number first; without one to type the prompt is the phone's outcome.
                    if (_numberToType != null && !_typedNumber)
                    {
                        _typedNumber = true;
                        _keysToType = _numberToType;
                        _typingPin = false;
                    }
                    else
                    {
                        Outcome = FleetOutcome.Prompted;
                    }
                }
                else if (_pinToType != null && !Typed)
                {
                    _keysToType = _pinToType;
                    _typingPin = true;
                }
                else if (!HasPin)
                {
                    Outcome = FleetOutcome.Prompted;
                }
                else
                {
                    // A PIN was given (stored or typed) and the controller still asks: that is a failure.
                    Outcome = FleetOutcome.Pending;
                    FailureReason = "prompted-again: " + (phoneEvent.Find("reason") as string ?? "?");
                }

                break;
            case EventNames.PinCleared:
                if (phoneEvent.Find("reason") as string == "credentials-refused")
                {
                    Outcome = FleetOutcome.Refused;
                    FailureReason = "credentials-refused: status " + (phoneEvent.Find("status") ?? "?");
                }

                break;
            case EventNames.SipChallenge:
                Challenged = true;
                break;
            case EventNames.Reset:
                Outcome = FleetOutcome.Pending;
                FailureReason = "reset: " + (phoneEvent.Find("reason") as string ?? "?");
                break;
            case EventNames.CallServerUnreachable:
                FailureReason = "callserver-unreachable";
                break;
            case EventNames.RedirectLimit:
                FailureReason = "redirect-limit";
                break;
            case EventNames.TftpWaiting:
                WaitedForTftp = true;
                break;
            case EventNames.TftpFailed:
                FailureReason = "tftp-failed: " + (phoneEvent.Find("reason") as string ?? "?");
                break;
        }

        if (_output != null && phoneEvent.Name != EventNames.Display)
        {
            _output.Write(this, phoneEvent);
        }
    }

    // Phase times come from the core's own state changes, seen after each step.
    private void NoteState(long now)
    {
        PhoneState state = Core.State;
        if (state == _seenState)
        {
            return;
        }

        // One step may pass through BootFiles (no boot files to fetch): Dhcp straight to Registration.
        // The files phase is the boot files and, in SIP mode, the configuration files after them.
        if (_seenState == PhoneState.Dhcp && (IsFiles(state) || state == PhoneState.Registration))
        {
            DhcpMilliseconds = now - _stateEnteredAt;
        }

        if (!IsFiles(_seenState) && IsFiles(state))
        {
            _filesEnteredAt = now;
        }

        if ((IsFiles(_seenState) || _seenState == PhoneState.Dhcp) && state == PhoneState.Registration)
        {
            BootFilesMilliseconds = IsFiles(_seenState) ? now - _filesEnteredAt : 0;
            Booted = true;
        }

        _seenState = state;
        _stateEnteredAt = now;
        State = state;
    }

    private static bool IsFiles(PhoneState state)
    {
        return state == PhoneState.BootFiles || state == PhoneState.ConfigFiles;
    }

    // A warm SIP set: number and password in its flash record before power-up, unless it holds some already.
    private static void StoreSipCredentials(IFlashRegion flash, string? number, string? password)
    {
        if (number == null && password == null)
        {
            return;
        }

        SipCredentialStore store = new(flash, PhoneFlashLayout.SipCredentialOffset);
        store.Load();
        if (store.Number.Length == 0 && store.Password.Length == 0)
        {
            store.Write(number ?? string.Empty, password ?? string.Empty);
        }
    }

    public static string StateName(PhoneState state)
    {
        switch (state)
        {
            case PhoneState.WaitingForLink:
                return "link";
            case PhoneState.Dhcp:
                return "dhcp";
            case PhoneState.BootFiles:
                return "tftp";
            case PhoneState.ConfigFiles:
                return "config-files";
            case PhoneState.Registration:
                return "registration";
            case PhoneState.Resetting:
                return "resetting";
            default:
                return "off";
        }
    }
}
