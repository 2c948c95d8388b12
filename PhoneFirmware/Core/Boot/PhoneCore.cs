using Hal;
using PhoneFirmware.Core.Display;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Registration;
using PhoneFirmware.Core.Registration.Sip;
using PhoneFirmware.Core.Storage;
using Protocol.Common;
using Protocol.Dhcp;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// The phone's boot sequencer: power-up (with the '*' PIN reset) → link → DHCP → boot files by
/// TFTP → registration. It drives each stage's machine (<see cref="DhcpStage"/>,
/// <see cref="BootFileStage"/>, an <see cref="IRegistrationStage"/>) and maps their events to the
/// screen and the flash. Every state change goes through <see cref="Enter"/>.
/// The entry point calls <see cref="Step"/> with the current time whenever the returned deadline
/// passes or I/O may have arrived; the core never blocks and never reads a clock.
/// </summary>
public sealed class PhoneCore
{
    private readonly PhoneDevices _devices;
    private readonly PhoneSettings _settings;
    private readonly PhoneScreen _screen;
    private readonly PinStore _pinStore;
    private readonly LeaseBinding _lease;
    private readonly DhcpStage _dhcp;
    private readonly BootFileStage _bootFiles;
    private readonly IRegistrationStage _registration;
    private readonly SipRegistrationStage? _sip; // SIP mode: the stage, and the configuration files before it
    private readonly SipConfigStage? _sipConfig;
    private readonly RegistrationPresenter _presenter;
    private readonly PinEntry _pinEntry;
    private string? _macText;
    private bool _presetPinUsed;
    private long _stateDeadline = Deadline.None;

    public PhoneCore(PhoneDevices devices, PhoneSettings settings)
    {
        _devices = devices;
        _settings = settings;
        _screen = new PhoneScreen(devices.Display, devices.Events);
        _pinStore = new PinStore(devices.Flash);
        _lease = new LeaseBinding(devices.Network, devices.Flash);
        _dhcp = new DhcpStage(devices.Network, settings, devices.Random);
        _bootFiles = devices.ImageFlash == null
            ? new BootFileStage(devices.Network, settings, devices.Events, devices.Random)
            : new BootFileStage(devices.Network, settings, devices.Events, devices.Random, new ImageVersionStore(devices.Flash, PhoneFlashLayout.ImageVersionOffset), devices.ImageFlash);
        if (settings.CallControl == CallControl.Sip)
        {
            _sip = new SipRegistrationStage(devices.Network, settings, devices.Random, devices.Flash);
            _sipConfig = new SipConfigStage(devices.Network, settings, devices.Events);
            _registration = _sip;
        }
        else
        {
            _registration = new BenchRegistrationClient(devices.Network, settings, devices.Random);
        }

        _presenter = new RegistrationPresenter(_screen, devices.Events, _pinStore);
        _pinEntry = new PinEntry(devices.Keypad, _screen, devices.Events, settings.PinEntryTimeoutMilliseconds);
    }

    public PhoneState State { get; private set; } = PhoneState.Off;

    /// <summary>The registration stage (its <see cref="IRegistrationStage.Phase"/> says prompting, registered, ...).</summary>
    public IRegistrationStage Registration => _registration;

    public string RegisteredDn => _registration.Dn;

    public PhoneScreen Screen => _screen;

    /// <summary>The lease DHCP gave, or the static one (<see cref="PhoneSettings.StaticLease"/>) once the link is up.</summary>
    public DhcpLease? Lease
    {
        get
        {
            if (_settings.StaticLease == null)
            {
                return _dhcp.Client == null ? null : _dhcp.Client.Lease;
            }

            bool linked = State != PhoneState.Off && State != PhoneState.WaitingForLink && State != PhoneState.Resetting;
            return linked ? _settings.StaticLease : null;
        }
    }

    /// <summary>Power applied: samples the keypad for '*' held, reads the PIN record, starts the boot.</summary>
    public void PowerUp(long now)
    {
        _devices.Events.Publish(new PhoneEvent(EventNames.PowerUp).With("mac", MacText()));
        _lease.Load();
        if (_devices.Keypad.IsHeld(Keys.Star) && _sip != null)
        {
            // SIP removes the stored binding at the registrar first; the stage clears once it is gone.
            _sip.ResetCredentialsAtStart();
        }
        else if (_devices.Keypad.IsHeld(Keys.Star))
        {
            _presenter.ClearPin("star-held-at-power-up");
        }

        _presetPinUsed = false;
        Enter(PhoneState.WaitingForLink, now);
    }

    /// <summary>Advances the phone to <paramref name="now"/>; returns when it next needs a step.</summary>
    public long Step(long now)
    {
        if (State == PhoneState.Off)
        {
            return Deadline.None;
        }

        // Keys typed outside a PIN prompt are discarded here, so none leaks into the next PIN.
        string? pin = _pinEntry.Step(now);
        long deadline = Deadline.None;

        // Entering DHCP, boot files, configuration files or registration sets a deadline of "now": a request for one more step, spent here.
        if (State != PhoneState.WaitingForLink && State != PhoneState.Resetting && _stateDeadline <= now)
        {
            _stateDeadline = Deadline.None;
        }

        if (State != PhoneState.WaitingForLink && State != PhoneState.Resetting)
        {
            deadline = StepDhcp(now);
            if (State == PhoneState.Resetting || State == PhoneState.Dhcp)
            {
                return Deadline.Earliest(deadline, _stateDeadline);
            }
        }

        switch (State)
        {
            case PhoneState.WaitingForLink:
                if (_devices.Network.IsLinkUp && _settings.StaticLease != null)
                {
                    UseStaticAddress(_settings.StaticLease, now);
                }
                else if (_devices.Network.IsLinkUp)
                {
                    Enter(PhoneState.Dhcp, now);
                }
                else
                {
                    _stateDeadline = now + 100;
                }

                break;
            case PhoneState.BootFiles:
                deadline = Deadline.Earliest(deadline, StepBootFiles(now));
                break;
            case PhoneState.ConfigFiles:
                deadline = Deadline.Earliest(deadline, _sipConfig!.Advance(now));
                if (_sipConfig.Step == SipConfigStep.Completed)
                {
                    Enter(PhoneState.Registration, now);
                }

                break;
            case PhoneState.Registration:
                if (pin != null)
                {
                    SubmitPin(pin, now);
                }

                deadline = Deadline.Earliest(deadline, StepRegistration(now));
                break;
            case PhoneState.Resetting:
                if (now >= _stateDeadline)
                {
                    Enter(PhoneState.WaitingForLink, now);
                }

                break;
        }

        return Deadline.Earliest(Deadline.Earliest(deadline, _pinEntry.NextDeadline(now)), _stateDeadline);
    }

    /// <summary>
    /// SIP mode: removes the line's binding at its registrar before a clean shutdown (keep
    /// stepping until <c>sip.unregistered</c>, then <see cref="Shutdown"/>). False when there is
    /// no running SIP line, so nothing to wait for.
    /// </summary>
    public bool Unregister(long now)
    {
        return _sip != null && State == PhoneState.Registration && _sip.Unregister(now);
    }

    /// <summary>Clean shutdown: releases the lease and drops the call server link.</summary>
    public void Shutdown(long now)
    {
        // The call-control link closes first, while the address it uses is still there to send its FIN from.
        _registration.Stop();
        if (_dhcp.Client != null && _dhcp.Client.Lease != null)
        {
            // A released address is given up (RFC 2131 §4.4.6): the next boot does not ask for it by INIT-REBOOT.
            _lease.Remember(0);
        }

        _dhcp.Release(now);
        _lease.Remove();
        _lease.UseVlan(0);
        _pinEntry.Close();
        _dhcp.Stop();
        _bootFiles.Stop();
        _sipConfig?.Stop();
        State = PhoneState.Off;
    }

    private long StepDhcp(long now)
    {
        long deadline = _dhcp.Step(now);
        DhcpClient? client = _dhcp.Client;
        while (client != null && _dhcp.Client == client)
        {
            DhcpClientEvent? dhcpEvent = client.PollEvent();
            if (dhcpEvent == null)
            {
                break;
            }

            if (dhcpEvent.Kind == DhcpClientEventKind.OfferRejected)
            {
                _screen.Show("DHCP: Offer " + dhcpEvent.OfferNumber.ToString() + " Rej", "Waiting for offer");
                _devices.Events.Publish(new PhoneEvent(EventNames.DhcpOfferRejected).With("offer", dhcpEvent.OfferNumber));
            }
            else if (dhcpEvent.Kind == DhcpClientEventKind.Bound && State == PhoneState.Dhcp)
            {
                // A VLAN two-pass replaces the client: the loop ends with it.
                OnBound(client.Lease!, dhcpEvent.Detail, now);
            }
            else if (dhcpEvent.Kind == DhcpClientEventKind.Renewed || dhcpEvent.Kind == DhcpClientEventKind.Rebound)
            {
                OnRenewed(client.Lease!, dhcpEvent.Kind == DhcpClientEventKind.Renewed ? EventNames.DhcpRenewed : EventNames.DhcpRebound);
            }
            else if (dhcpEvent.Kind == DhcpClientEventKind.LeaseExpired)
            {
                ResetPhone("dhcp-lease-expired", now);
            }
            else if (dhcpEvent.Kind == DhcpClientEventKind.Nak)
            {
                // The server refused the address: do not ask for it again after a power cycle.
                _lease.Remember(0);
                if (State != PhoneState.Dhcp)
                {
                    // The address we are using was refused on renewal: it must not be used any more.
                    ResetPhone("dhcp-nak", now);
                }
            }
        }

        return deadline;
    }

    private void OnBound(DhcpLease lease, string via, long now)
    {
        IpPhoneConfig config = lease.PhoneConfig;
        _lease.Apply(lease);
        if (_lease.Vlan == 0 && config.Vlan > 0 && config.Vlan < 4095 && _lease.UseVlan(config.Vlan))
        {
            // VLAN two-pass: give the untagged lease back and lease again tagged on the named VLAN.
            _devices.Events.Publish(new PhoneEvent(EventNames.DhcpVlan)
                .With("vlan", config.Vlan)
                .With("released", Ipv4.Format(lease.Address))
                .With("server", Ipv4.Format(lease.ServerIdentifier)));
            _dhcp.Release(now);
            _lease.Remove();
            _screen.Show("DHCP", "VLAN " + config.Vlan.ToString());
            _dhcp.Start(now, _lease.RememberedFor(_lease.Vlan));
            _stateDeadline = now;
            return;
        }

        _lease.Remember(lease.Address);
        _screen.Show("Using option " + config.SourceOption.ToString() + ":" + config.SubOption.ToString(), Ipv4.Format(lease.Address));
        _devices.Events.Publish(DhcpEvents.Bound(lease, via, _lease.Vlan));
        Enter(PhoneState.BootFiles, now);
    }

    // No DHCP: the address and servers given are used as a lease would be, for ever.
    private void UseStaticAddress(DhcpLease lease, long now)
    {
        _lease.Apply(lease);
        _screen.Show("Static IP", Ipv4.Format(lease.Address));
        _devices.Events.Publish(DhcpEvents.Static(lease));
        Enter(PhoneState.BootFiles, now);
    }

    private void OnRenewed(DhcpLease lease, string eventName)
    {
        if (lease.Address != _lease.ConfiguredAddress)
        {
            _lease.Apply(lease);
            _lease.Remember(lease.Address);
        }

        _devices.Events.Publish(DhcpEvents.Renewed(lease, eventName, _lease.Vlan));
    }

    private long StepBootFiles(long now)
    {
        long deadline = _bootFiles.Step(now);
        int percent = _bootFiles.ProgressPercent;
        if (_bootFiles.WaitingForServer)
        {
            _screen.SetLine(1, "Waiting for server");
        }
        else if (_bootFiles.State == BootFileStageState.Running && percent >= 0)
        {
            _screen.SetLine(1, "Downloading " + percent.ToString() + "%");
            _screen.Progress(percent);
        }
        else if (_bootFiles.State == BootFileStageState.Running)
        {
            _screen.SetLine(1, string.Empty); // the server answered, size unknown: the wait is over
        }

        if (_bootFiles.State == BootFileStageState.Completed)
        {
            _screen.Progress(-1);
            Enter(_sipConfig != null ? PhoneState.ConfigFiles : PhoneState.Registration, now);
        }
        else if (_bootFiles.State == BootFileStageState.Failed)
        {
            // A real set resets to the start of the boot when its main image cannot be fetched.
            ResetPhone("tftp-failed: " + (_bootFiles.FailureReason ?? string.Empty), now);
        }

        return deadline;
    }

    // Steps the registration stage and maps what it reports; a reset ends the stage.
    private long StepRegistration(long now)
    {
        long deadline = _registration.Step(now);
        while (State == PhoneState.Registration)
        {
            RegistrationEvent? e = _registration.PollEvent();
            if (e == null)
            {
                break;
            }

            _presenter.Present(e, MacText());
            if (e.Kind == RegistrationEventKind.Prompt)
            {
                OnPrompt(now);
            }
            else if (e.Kind == RegistrationEventKind.Reset)
            {
                // A PIN that must go is cleared by a ClearPin frame first; Reset alone keeps it.
                ResetPhone(e.Text, now);
            }
        }

        return State == PhoneState.Registration ? deadline : Deadline.None;
    }

    private void OnPrompt(long now)
    {
        _pinEntry.Open(now);
        if (!_presetPinUsed && _settings.PresetPin != null)
        {
            _presetPinUsed = true;
            _pinEntry.Close();
            SubmitPin(_settings.PresetPin, now);
        }
    }

    private void SubmitPin(string pin, long now)
    {
        if (_registration.Phase != RegistrationPhase.Prompting)
        {
            return;
        }

        _devices.Events.Publish(new PhoneEvent(EventNames.PinEntered).With("length", pin.Length));
        _registration.SubmitPin(pin, now);
    }

    private void ResetPhone(string reason, long now)
    {
        _devices.Events.Publish(new PhoneEvent(EventNames.Reset).With("reason", reason));
        _registration.Stop();
        _pinEntry.Close();
        _dhcp.Stop();
        _lease.Remove();
        _bootFiles.Stop();
        _sipConfig?.Stop();
        Enter(PhoneState.Resetting, now);
    }

    /// <summary>The one place state changes: entry actions and the state's deadline.</summary>
    private void Enter(PhoneState next, long now)
    {
        State = next;
        _stateDeadline = Deadline.None;
        switch (next)
        {
            case PhoneState.WaitingForLink:
                _screen.Show("Waiting for link", string.Empty);
                _stateDeadline = now;
                break;
            case PhoneState.Dhcp:
                _screen.Show("DHCP", "Discovering");

                // Every boot starts untagged; a lease remembered from a VLAN is asked for on that VLAN.
                _lease.UseVlan(0);
                _dhcp.Start(now, _lease.RememberedFor(0));
                _stateDeadline = now;
                break;
            case PhoneState.BootFiles:
                _screen.Show("TFTP", string.Empty);
                _bootFiles.Start(now, Lease!.PhoneConfig.TftpServers, _settings.BootFiles, Lease!.DnsServers);
                _stateDeadline = now;
                break;
            case PhoneState.ConfigFiles:
                _screen.Show("TFTP", "SIP configuration");
                _sipConfig!.Start(now, Lease!.PhoneConfig.TftpServers, _devices.Network.MacAddress);
                _stateDeadline = now;
                break;
            case PhoneState.Registration:
                _sip?.Configure(_sipConfig!.Files, _lease.ConfiguredAddress);

                // The PIN record is read here, after any '*' clear, so the stage starts with what flash holds.
                _registration.Start(Lease!.PhoneConfig.CallServers, Lease!.DnsServers, _pinStore.ReadPin(), now);
                _stateDeadline = now; // what Start queued is polled at the next step
                break;
            case PhoneState.Resetting:
                _screen.Show("Resetting", string.Empty);
                _stateDeadline = now + _settings.ResetDelayMilliseconds;
                break;
        }
    }

    // Every registration event is presented with it: formatted once (the MAC does not change).
    private string MacText()
    {
        if (_macText == null)
        {
            _macText = MacAddress.Format(_devices.Network.MacAddress);
        }

        return _macText;
    }

}
