using Hal;
using PhoneFirmware.Core.Display;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Registration;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// The phone: power-up (with the '*' PIN reset) → link → DHCP → boot files by TFTP → TCP to the
/// call server → Register(MAC, PIN or none) → PIN prompt / registered + save PIN / redirect /
/// clear PIN / reset. Every state change goes through <see cref="Enter"/>.
/// The entry point calls <see cref="Step"/> with the current time whenever the returned deadline
/// passes or I/O may have arrived; the core never blocks and never reads a clock.
/// </summary>
public sealed class PhoneCore
{
    private readonly PhoneDevices _devices;
    private readonly PhoneSettings _settings;
    private readonly PhoneScreen _screen;
    private readonly PinStore _pinStore;
    private readonly LeaseAddressStore _leaseMemory;
    private readonly DhcpStage _dhcp;
    private readonly BootFileStage _bootFiles;
    private readonly PinEntryBuffer _pinEntry = new PinEntryBuffer();
    private ServerEndpoint[] _callServers = new ServerEndpoint[0];
    private int _callServerIndex;
    private CallServerConnection? _connection;
    private string? _storedPin;
    private string? _pinInFlight;
    private bool _presetPinUsed;
    private long _stateDeadline = Deadline.None;
    private uint _rememberedAddress;
    private int _rememberedVlan;
    private uint _configuredAddress;
    private int _vlan;
    private string _registeredDn = string.Empty;
    private ServerEndpoint? _alternate;
    private ServerEndpoint? _primaryToReturnTo;
    private bool _failingOver;
    private long _lastHeard;
    private long _nextKeepalive = Deadline.None;
    private uint _keepaliveSequence;
    private long _nextReturnCheck = Deadline.None;
    private IStreamConnection? _returnProbe;

    public PhoneCore(PhoneDevices devices, PhoneSettings settings)
    {
        _devices = devices;
        _settings = settings;
        _screen = new PhoneScreen(devices.Display, devices.Events);
        _pinStore = new PinStore(devices.Flash);
        _leaseMemory = new LeaseAddressStore(devices.Flash, PhoneFlashLayout.LeaseAddressOffset);
        _dhcp = new DhcpStage(devices.Network, settings, devices.Random);
        _bootFiles = devices.ImageFlash == null
            ? new BootFileStage(devices.Network, settings, devices.Events, devices.Random)
            : new BootFileStage(devices.Network, settings, devices.Events, devices.Random, new ImageVersionStore(devices.Flash, PhoneFlashLayout.ImageVersionOffset), devices.ImageFlash);
    }

    public PhoneState State { get; private set; } = PhoneState.Off;

    public string RegisteredDn => _registeredDn;

    public PhoneScreen Screen => _screen;

    public DhcpLease? Lease => _dhcp.Client == null ? null : _dhcp.Client.Lease;

    /// <summary>Power applied: samples the keypad for '*' held, reads the PIN record, starts the boot.</summary>
    public void PowerUp(long now)
    {
        _devices.Events.Publish(new PhoneEvent(EventNames.PowerUp).With("mac", MacText()));
        _storedPin = _pinStore.ReadPin();
        _rememberedAddress = _leaseMemory.Read(out _rememberedVlan);
        if (_devices.Keypad.IsHeld(Keys.Star))
        {
            ClearStoredPin("star-held-at-power-up");
        }

        _presetPinUsed = false;
        Enter(PhoneState.WaitingForLink, now);
    }

    /// <summary>Advances the phone to <paramref name="now"/>; returns when it next needs a step.</summary>
    public long Step(long now)
    {
        long deadline = Deadline.None;
        if (State == PhoneState.Off)
        {
            return deadline;
        }

        // Entering DHCP or boot files sets a deadline of "now": a request for one more step, spent here.
        if ((State == PhoneState.Dhcp || State == PhoneState.BootFiles) && _stateDeadline <= now)
        {
            _stateDeadline = Deadline.None;
        }

        if (State != PhoneState.WaitingForLink && State != PhoneState.Resetting)
        {
            deadline = Deadline.Earliest(deadline, StepDhcp(now));
            if (State == PhoneState.Resetting || State == PhoneState.Dhcp)
            {
                return Deadline.Earliest(deadline, StateDeadline(now));
            }
        }

        switch (State)
        {
            case PhoneState.WaitingForLink:
                if (_devices.Network.IsLinkUp)
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
            case PhoneState.Connecting:
            case PhoneState.WaitingForReply:
            case PhoneState.PinPrompt:
            case PhoneState.Registered:
                StepCallServer(now);
                break;
            case PhoneState.Resetting:
                if (now >= _stateDeadline)
                {
                    Enter(PhoneState.WaitingForLink, now);
                }

                break;
        }

        return Deadline.Earliest(deadline, StateDeadline(now));
    }

    /// <summary>Clean shutdown: releases the lease and drops the call server link.</summary>
    public void Shutdown(long now)
    {
        if (Lease != null)
        {
            // A released address is given up (RFC 2131 §4.4.6): the next boot does not ask for it by INIT-REBOOT.
            Remember(0);
        }

        _dhcp.Release(now);
        RemoveAddress();
        UseVlan(0);
        DropConnection();
        _dhcp.Stop();
        _bootFiles.Stop();
        State = PhoneState.Off;
    }

    private long StateDeadline(long now)
    {
        if (State == PhoneState.PinPrompt)
        {
            // Keys arrive from the keypad driver, not the network: look again soon.
            return Deadline.Earliest(_stateDeadline, now + 20);
        }

        if (State == PhoneState.Registered)
        {
            long silence = _lastHeard + ((long)_settings.KeepaliveIntervalMilliseconds * _settings.KeepaliveMisses) + 1;
            long next = Deadline.Earliest(_nextKeepalive, silence);
            if (_primaryToReturnTo != null)
            {
                next = Deadline.Earliest(next, _returnProbe != null ? now + 20 : _nextReturnCheck);
            }

            return Deadline.Earliest(_stateDeadline, next);
        }

        return _stateDeadline;
    }

    private long StepDhcp(long now)
    {
        long deadline = _dhcp.Step(now);
        DhcpClient? client = _dhcp.Client;
        if (client == null)
        {
            return deadline;
        }

        while (true)
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
                OnBound(client.Lease!, dhcpEvent.Detail, now);
                if (_dhcp.Client != client)
                {
                    // The exchange starts over on the VLAN the lease named: this client is gone.
                    break;
                }
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
                Remember(0);
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
        ApplyAddress(lease);
        if (_vlan == 0 && config.Vlan > 0 && config.Vlan < 4095 && UseVlan(config.Vlan))
        {
            // VLAN two-pass: give the untagged lease back and lease again tagged on the named VLAN.
            _devices.Events.Publish(new PhoneEvent(EventNames.DhcpVlan)
                .With("vlan", config.Vlan)
                .With("released", Ipv4.Format(lease.Address))
                .With("server", Ipv4.Format(lease.ServerIdentifier)));
            _dhcp.Release(now);
            RemoveAddress();
            _screen.Show("DHCP", "VLAN " + config.Vlan.ToString());
            _dhcp.Start(now, _rememberedVlan == _vlan ? _rememberedAddress : 0);
            _stateDeadline = now;
            return;
        }

        Remember(lease.Address);
        _screen.Show("Using option " + config.SourceOption.ToString() + ":" + config.SubOption.ToString(), Ipv4.Format(lease.Address));
        _devices.Events.Publish(new PhoneEvent(EventNames.DhcpBound)
            .With("address", Ipv4.Format(lease.Address))
            .With("subnetMask", Ipv4.Format(lease.SubnetMask))
            .With("router", Ipv4.Format(lease.Router))
            .With("server", Ipv4.Format(lease.ServerIdentifier))
            .With("leaseSeconds", lease.LeaseSeconds)
            .With("via", via)
            .With("onVlan", _vlan)
            .With("option", config.SourceOption)
            .With("encoding", config.SubOption)
            .With("callServers", EndpointTexts(config.CallServers))
            .With("tftpServers", EndpointTexts(config.TftpServers))
            .With("vlan", config.Vlan)
            .With("priority", config.Priority)
            .With("dscp", config.Dscp));
        _callServers = config.CallServers;
        Enter(PhoneState.BootFiles, now);
    }

    private void OnRenewed(DhcpLease lease, string eventName)
    {
        if (lease.Address != _configuredAddress)
        {
            ApplyAddress(lease);
            Remember(lease.Address);
        }

        _devices.Events.Publish(new PhoneEvent(eventName)
            .With("address", Ipv4.Format(lease.Address))
            .With("server", Ipv4.Format(lease.ServerIdentifier))
            .With("leaseSeconds", lease.LeaseSeconds)
            .With("onVlan", _vlan));
    }

    private void ApplyAddress(DhcpLease lease)
    {
        _devices.Network.ConfigureAddress(lease.Address, lease.SubnetMask, lease.Router, lease.DnsServers);
        _configuredAddress = lease.Address;
    }

    private void RemoveAddress()
    {
        if (_configuredAddress != 0)
        {
            _devices.Network.ConfigureAddress(0, 0, 0, new uint[0]);
            _configuredAddress = 0;
        }
    }

    // Tags (or untags) the phone's traffic; false when the driver cannot, and nothing changed.
    private bool UseVlan(int vlan)
    {
        if (vlan == _vlan)
        {
            return true;
        }

        if (!_devices.Network.UseVlan(vlan))
        {
            return false;
        }

        _vlan = vlan;
        return true;
    }

    // The lease address (and its VLAN) survives a power cycle: the next boot starts with INIT-REBOOT for it.
    private void Remember(uint address)
    {
        _rememberedAddress = address;
        _rememberedVlan = address == 0 ? 0 : _vlan;
        _leaseMemory.Write(_rememberedAddress, _rememberedVlan);
    }

    private long StepBootFiles(long now)
    {
        long deadline = _bootFiles.Step(now);
        int percent = _bootFiles.ProgressPercent;
        if (_bootFiles.State == BootFileStageState.Running && percent >= 0)
        {
            _screen.SetLine(1, "Downloading " + percent.ToString() + "%");
            _screen.Progress(percent);
        }

        if (_bootFiles.State == BootFileStageState.Completed)
        {
            _screen.Progress(-1);
            _callServerIndex = 0;
            Enter(PhoneState.Connecting, now);
        }
        else if (_bootFiles.State == BootFileStageState.Failed)
        {
            // A real set resets to the start of the boot when its main image cannot be fetched.
            ResetPhone("tftp-failed: " + (_bootFiles.FailureReason ?? string.Empty), now);
        }

        return deadline;
    }

    private void StepCallServer(long now)
    {
        if (State == PhoneState.PinPrompt)
        {
            ReadPinKeys(now);
        }

        if (_connection == null)
        {
            if (State == PhoneState.Connecting && now >= _stateDeadline)
            {
                ConnectToCurrentCallServer(now);
            }

            return;
        }

        StreamState linkState = _connection.State;
        if (State == PhoneState.Connecting)
        {
            if (linkState == StreamState.Connected)
            {
                SendRegister(now);
            }
            else if (linkState == StreamState.Failed || linkState == StreamState.Closed || now >= _stateDeadline)
            {
                CallServerFailed("tcp-connect-failed", now);
            }

            return;
        }

        while (_connection != null)
        {
            RegistrationMessage? message;
            try
            {
                message = _connection.Receive();
            }
            catch (ProtocolParseException error)
            {
                CallServerFailed("malformed frame: " + error.Message, now);
                return;
            }

            if (message == null)
            {
                break;
            }

            _lastHeard = now;
            OnMessage(message, now);
        }

        if (_connection == null)
        {
            return;
        }

        linkState = _connection.State;
        if (linkState == StreamState.Closed || linkState == StreamState.Failed)
        {
            _devices.Events.Publish(new PhoneEvent(EventNames.ConnectionLost).With("controller", _connection.Target));
            LinkLost("connection-lost", now);
        }
        else if (State == PhoneState.Registered)
        {
            StepRegistered(now);
        }
        else if (State == PhoneState.WaitingForReply && now >= _stateDeadline)
        {
            CallServerFailed("no-reply", now);
        }
    }

    private void OnMessage(RegistrationMessage message, long now)
    {
        switch (message.Type)
        {
            case RegistrationMessageType.PinRequest:
                Prompt(ReasonText(message.Reason), now);
                break;
            case RegistrationMessageType.Registered:
                if (message.SavePin)
                {
                    SavePinInFlight();
                }

                _registeredDn = message.Dn;
                _pinInFlight = null;
                RememberAlternate(message, now);
                _devices.Events.Publish(new PhoneEvent(EventNames.Registered)
                    .With("dn", message.Dn)
                    .With("name", message.DisplayName)
                    .With("controller", _connection!.Target));
                Enter(PhoneState.Registered, now);
                break;
            case RegistrationMessageType.Redirect:
                if (message.SavePin)
                {
                    SavePinInFlight();
                }

                string target = message.Host + ":" + message.Port.ToString();
                _devices.Events.Publish(new PhoneEvent(EventNames.Redirect).With("target", target).With("from", _connection!.Target));
                DropConnection();
                ServerEndpoint redirected = new ServerEndpoint();
                redirected.Host = message.Host;
                uint address;
                redirected.Address = Ipv4.TryParse(message.Host, out address) ? address : 0;
                redirected.Port = message.Port;
                _callServers = new ServerEndpoint[] { redirected };
                _callServerIndex = 0;
                _screen.Show("Redirected", target);
                Enter(PhoneState.Connecting, now);
                break;
            case RegistrationMessageType.ClearPin:
                ClearStoredPin(ReasonText(message.Reason));
                Prompt(ReasonText(message.Reason), now);
                break;
            case RegistrationMessageType.Reset:
                // A PIN that must go is cleared by a ClearPin frame first; Reset alone keeps it.
                ResetPhone(message.Text, now);
                break;
            case RegistrationMessageType.DisplayText:
                _screen.SetLine(message.Row, message.Text);
                break;
            case RegistrationMessageType.Keepalive:
                _connection!.Send(RegistrationMessage.KeepaliveAck(message.Sequence));
                break;
            case RegistrationMessageType.Error:
                _screen.Show("Call server error", message.Text);
                CallServerFailed("error: " + message.Text, now);
                break;
            case RegistrationMessageType.KeepaliveAck:
                break;
            default:
                // A frame type from a newer protocol version: say so and carry on (docs/registration-protocol.md).
                _connection!.Send(RegistrationMessage.Error("unknown frame type " + ((int)message.Type).ToString()));
                break;
        }
    }

    private void Prompt(string reason, long now)
    {
        _pinInFlight = null;
        _pinEntry.Clear();
        _devices.Events.Publish(new PhoneEvent(EventNames.PinPrompt).With("reason", reason));
        Enter(PhoneState.PinPrompt, now);
        if (!_presetPinUsed && _settings.PresetPin != null)
        {
            _presetPinUsed = true;
            SubmitPin(_settings.PresetPin, now);
        }
    }

    private void ReadPinKeys(long now)
    {
        while (State == PhoneState.PinPrompt)
        {
            char key = _devices.Keypad.ReadKey();
            if (key == Keys.None)
            {
                return;
            }

            if (key == Keys.Pound)
            {
                if (_pinEntry.Length > 0)
                {
                    SubmitPin(_pinEntry.Text, now);
                }
            }
            else if (Keys.IsDialKey(key) && _pinEntry.Add(key))
            {
                _screen.SetLine(1, _pinEntry.Text);
            }
        }
    }

    private void SubmitPin(string pin, long now)
    {
        if (_connection == null)
        {
            return;
        }

        _pinInFlight = pin;
        _pinEntry.Clear();
        _devices.Events.Publish(new PhoneEvent(EventNames.PinEntered).With("length", pin.Length));
        _connection.Send(RegistrationMessage.PinEntry(pin));
        Enter(PhoneState.WaitingForReply, now);
    }

    private void SendRegister(long now)
    {
        _pinInFlight = _storedPin;
        RegistrationMessage register = RegistrationMessage.Register(_devices.Network.MacAddress, _settings.SetType, _settings.FirmwareVersion, _storedPin);
        register.Failover = _failingOver;
        _connection!.Send(register);
        _devices.Events.Publish(new PhoneEvent(EventNames.RegisterSent)
            .With("controller", _connection.Target)
            .With("mac", MacText())
            .With("pin", _storedPin != null));
        Enter(PhoneState.WaitingForReply, now);
    }

    private void SavePinInFlight()
    {
        if (_pinInFlight == null || _pinInFlight == _storedPin || !_settings.HasPinMemory)
        {
            return;
        }

        _pinStore.Write(_pinInFlight);
        _storedPin = _pinInFlight;
        _devices.Events.Publish(new PhoneEvent(EventNames.PinSaved).With("pin", _pinInFlight));
    }

    private void ClearStoredPin(string reason)
    {
        if (_storedPin != null || _pinStore.Read() != null)
        {
            _pinStore.Write(null);
        }

        _storedPin = null;
        _devices.Events.Publish(new PhoneEvent(EventNames.PinCleared).With("reason", reason));
    }

    // Keepalives out, silence detected, and (at a secondary) a periodic look for the primary.
    private void StepRegistered(long now)
    {
        if (now - _lastHeard > (long)_settings.KeepaliveIntervalMilliseconds * _settings.KeepaliveMisses)
        {
            _devices.Events.Publish(new PhoneEvent(EventNames.ConnectionLost).With("controller", _connection!.Target).With("reason", "keepalive-timeout"));
            LinkLost("keepalive-timeout", now);
            return;
        }

        if (now >= _nextKeepalive)
        {
            _keepaliveSequence++;
            _connection!.Send(RegistrationMessage.Keepalive(_keepaliveSequence));
            _nextKeepalive = now + _settings.KeepaliveIntervalMilliseconds;
        }

        if (_primaryToReturnTo == null)
        {
            return;
        }

        if (_returnProbe == null && now >= _nextReturnCheck)
        {
            _returnProbe = OpenStream(_primaryToReturnTo);
            _nextReturnCheck = now + _settings.ReturnCheckMilliseconds;
        }

        if (_returnProbe != null && _returnProbe.State == StreamState.Connected)
        {
            // The primary answers again: leave the secondary and register there (no prompt: the PIN is stored).
            ServerEndpoint primary = _primaryToReturnTo;
            _returnProbe.Close();
            _returnProbe = null;
            _devices.Events.Publish(new PhoneEvent(EventNames.ReturnToPrimary).With("from", _connection!.Target).With("to", EndpointText(primary)));
            DropConnection();
            _primaryToReturnTo = null;
            _alternate = null;
            _failingOver = false;
            _callServers = new ServerEndpoint[] { primary };
            _callServerIndex = 0;
            Enter(PhoneState.Connecting, now);
        }
        else if (_returnProbe != null && (_returnProbe.State == StreamState.Failed || _returnProbe.State == StreamState.Closed))
        {
            _returnProbe.Close();
            _returnProbe = null;
        }
    }

    // A registered set that loses its element goes to the DN's other element if it knows one.
    private void LinkLost(string reason, long now)
    {
        if (State == PhoneState.Registered && _alternate != null && _primaryToReturnTo == null)
        {
            ServerEndpoint secondary = _alternate;
            _devices.Events.Publish(new PhoneEvent(EventNames.Failover).With("from", _connection!.Target).With("to", EndpointText(secondary)).With("reason", reason));
            DropConnection();
            _alternate = null;
            _failingOver = true;
            _callServers = new ServerEndpoint[] { secondary };
            _callServerIndex = 0;
            _screen.Show("Failover", EndpointText(secondary));
            Enter(PhoneState.Connecting, now);
            return;
        }

        CallServerFailed(reason, now);
    }

    private void RememberAlternate(RegistrationMessage message, long now)
    {
        _lastHeard = now;
        _nextKeepalive = now + _settings.KeepaliveIntervalMilliseconds;
        _alternate = null;
        _primaryToReturnTo = null;
        if (message.AlternateHost.Length == 0 || message.AlternatePort == 0)
        {
            _failingOver = false;
            return;
        }

        ServerEndpoint other = new ServerEndpoint();
        other.Host = message.AlternateHost;
        uint address;
        other.Address = Ipv4.TryParse(message.AlternateHost, out address) ? address : 0;
        other.Port = message.AlternatePort;
        if (_failingOver)
        {
            // Registered at the secondary: the alternate is the primary, to return to when allowed.
            _primaryToReturnTo = message.AllowReturn ? other : null;
            _nextReturnCheck = now + _settings.ReturnCheckMilliseconds;
        }
        else
        {
            _alternate = other;
        }
    }

    private IStreamConnection? OpenStream(ServerEndpoint server)
    {
        uint address = AddressOf(server);
        return address == 0 ? null : _devices.Network.Connect(address, server.Port != 0 ? server.Port : _settings.CallServerDefaultPort);
    }

    // A call server named by FQDN is looked up at every connection (the host asks the lease's DNS servers).
    private uint AddressOf(ServerEndpoint server)
    {
        if (server.Address != 0)
        {
            return server.Address;
        }

        uint address = _devices.Network.ResolveHost(server.Host);
        if (address != 0)
        {
            _devices.Events.Publish(new PhoneEvent(EventNames.CallServerResolved).With("name", server.Host).With("address", Ipv4.Format(address)));
        }

        return address;
    }

    private static string EndpointText(ServerEndpoint server)
    {
        return server.Port != 0 ? server.Host + ":" + server.Port.ToString() : server.Host;
    }

    private void ConnectToCurrentCallServer(long now)
    {
        if (_callServerIndex >= _callServers.Length)
        {
            return;
        }

        ServerEndpoint server = _callServers[_callServerIndex];
        uint address = AddressOf(server);
        int port = server.Port != 0 ? server.Port : _settings.CallServerDefaultPort;
        if (address == 0)
        {
            CallServerFailed("cannot-resolve " + server.Host, now);
            return;
        }

        _connection = new CallServerConnection(_devices.Network.Connect(address, port), server.Host, port);
        _screen.Show("Waiting for TCP link", _connection.Target);
        _stateDeadline = now + _settings.CallServerTimeoutMilliseconds;
    }

    private void CallServerFailed(string reason, long now)
    {
        string target = _connection != null ? _connection.Target : (_callServerIndex < _callServers.Length ? _callServers[_callServerIndex].Host : string.Empty);
        DropConnection();
        _devices.Events.Publish(new PhoneEvent(EventNames.CallServerUnreachable).With("controller", target).With("reason", reason));
        _callServerIndex++;
        if (_callServerIndex >= _callServers.Length)
        {
            // Every server failed: start over from the DHCP list after a pause.
            DhcpLease? lease = Lease;
            _callServers = lease != null ? lease.PhoneConfig.CallServers : _callServers;
            _callServerIndex = 0;
            ForgetElements();
            Enter(PhoneState.Connecting, now);
            _stateDeadline = now + _settings.CallServerRetryMilliseconds;
            return;
        }

        Enter(PhoneState.Connecting, now);
    }

    private void ResetPhone(string reason, long now)
    {
        _devices.Events.Publish(new PhoneEvent(EventNames.Reset).With("reason", reason));
        DropConnection();
        ForgetElements();
        _dhcp.Stop();
        RemoveAddress();
        _bootFiles.Stop();
        _registeredDn = string.Empty;
        _pinInFlight = null;
        Enter(PhoneState.Resetting, now);
    }

    private void ForgetElements()
    {
        if (_returnProbe != null)
        {
            _returnProbe.Close();
            _returnProbe = null;
        }

        _alternate = null;
        _primaryToReturnTo = null;
        _failingOver = false;
    }

    private void DropConnection()
    {
        if (_connection != null)
        {
            _connection.Close();
            _connection = null;
        }
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
                UseVlan(0);
                _dhcp.Start(now, _rememberedVlan == 0 ? _rememberedAddress : 0);
                _stateDeadline = now;
                break;
            case PhoneState.BootFiles:
                _screen.Show("TFTP", string.Empty);
                _bootFiles.Start(now, Lease!.PhoneConfig.TftpServers, _settings.BootFiles, Lease!.DnsServers);
                _stateDeadline = now;
                break;
            case PhoneState.Connecting:
                _stateDeadline = now;
                break;
            case PhoneState.WaitingForReply:
                _screen.Show("Waiting for ACK...", _connection != null ? _connection.Target : string.Empty);
                _stateDeadline = now + _settings.CallServerTimeoutMilliseconds;
                break;
            case PhoneState.PinPrompt:
                _screen.Show("Enter PIN:", string.Empty);
                break;
            case PhoneState.Registered:
                _screen.Show("DN " + _registeredDn, "Registered");
                break;
            case PhoneState.Resetting:
                _screen.Show("Resetting", string.Empty);
                _stateDeadline = now + _settings.ResetDelayMilliseconds;
                break;
        }
    }

    private string MacText()
    {
        return MacAddress.Format(_devices.Network.MacAddress);
    }

    private static string[] EndpointTexts(ServerEndpoint[] endpoints)
    {
        string[] texts = new string[endpoints.Length];
        for (int i = 0; i < endpoints.Length; i++)
        {
            ServerEndpoint endpoint = endpoints[i];
            texts[i] = endpoint.Port != 0 ? endpoint.Host + ":" + endpoint.Port.ToString() : endpoint.Host;
        }

        return texts;
    }

    private static string ReasonText(PinRequestReason reason)
    {
        switch (reason)
        {
            case PinRequestReason.NoneStored: return "none-stored";
            case PinRequestReason.InvalidAccessCode: return "invalid-access-code";
            case PinRequestReason.AccessCodeMismatch: return "access-code-mismatch";
            case PinRequestReason.DnInUse: return "dn-in-use";
            case PinRequestReason.WrongPin: return "wrong-pin";
            case PinRequestReason.LockedOut: return "locked-out";
            case PinRequestReason.DnDeleted: return "dn-deleted";
            case PinRequestReason.MacDeleted: return "mac-deleted";
            case PinRequestReason.UnknownDn: return "unknown-dn";
            default: return "reason-" + ((int)reason).ToString();
        }
    }
}
