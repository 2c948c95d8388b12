using System;
using System.Collections.Generic;
using Controller.Forms;
using Protocol.Registration;

namespace Controller.Registration;

/// <summary>
/// The call server's side of one phone link, as the seed document describes it: the MAC first (a
/// set programmed in Multiline IP Sets registers without a PIN), a PIN request for an unknown set,
/// local DN → register and map the MAC, remote DN → save PIN and redirect, DN bound to another MAC
/// → clear PIN and prompt, bad access code → prompt again, wrong PINs → lock-out, the replacement
/// code, Automatic DN Selection, devices without PIN memory, and registration at a DN's secondary
/// element on failover. Pure decisions over the forms; the caller moves the frames and serialises
/// database access (<see cref="RegistrationHub"/>).
/// </summary>
public sealed class RegistrationSession
{
    private readonly ElementForms _forms;
    private readonly RegistrationPolicy _policy;
    private readonly PinLockouts _lockouts;
    private bool _failover;
    private string? _dn;

    public RegistrationSession(ElementForms forms, RegistrationPolicy policy, PinLockouts lockouts)
    {
        _forms = forms;
        _policy = policy;
        _lockouts = lockouts;
    }

    public RegistrationSessionState State { get; private set; } = RegistrationSessionState.AwaitingRegister;

    /// <summary>When <see cref="State"/> was entered (the time passed with the frame).</summary>
    public long StateSince { get; private set; }

    /// <summary>The set's MAC (aa:bb:..), once it has sent Register.</summary>
    public string? Mac { get; private set; }

    /// <summary>The DN the set is registered on here, or null.</summary>
    public string? RegisteredDn => IsRegistered ? _dn : null;

    /// <summary>True when the set is registered here as its DN's secondary element.</summary>
    public bool IsSecondaryRegistration => State == RegistrationSessionState.RegisteredAtSecondary;

    private bool IsRegistered => State == RegistrationSessionState.Registered || State == RegistrationSessionState.RegisteredAtSecondary;

    /// <summary>Handles one frame from the peer at <paramref name="now"/>; returns the replies and what the server must do beyond them.</summary>
    public RegistrationOutcome Handle(RegistrationMessage message, long now)
    {
        RegistrationOutcome outcome = new();
        switch (message.Type)
        {
            case RegistrationMessageType.Register:
                OnRegister(message, now, outcome);
                break;
            case RegistrationMessageType.PinEntry:
                if (Mac == null)
                {
                    outcome.Replies.Add(RegistrationMessage.Error("PinEntry before Register"));
                    break;
                }

                outcome.Replies.Add(Evaluate(message.Pin ?? string.Empty, fromMemory: false, now, outcome));
                break;
            case RegistrationMessageType.KeepaliveAck:
            case RegistrationMessageType.KeyEvent:
                break;
            case RegistrationMessageType.Keepalive:
                outcome.Replies.Add(RegistrationMessage.KeepaliveAck(message.Sequence));
                break;
            case RegistrationMessageType.RdnUpdate:
                Enter(RegistrationSessionState.ElementLink, now);
                if (ApplyRdnUpdate(message))
                {
                    outcome.AppliedUpdate = message;
                }

                break;
            default:
                outcome.Replies.Add(RegistrationMessage.Error("unknown frame type " + (int)message.Type));
                break;
        }

        return outcome;
    }

    /// <summary>
    /// After the forms changed (an administrator, another element's update, a replacement): a
    /// registered set whose DN was deleted, whose Multiline IP Sets row was, or whose DN another set
    /// took over, is told to clear its PIN and hard-reset (it then prompts). A registration at a
    /// secondary ends when the DN is no longer homed with this element as its secondary.
    /// </summary>
    public List<RegistrationMessage> Recheck(long now)
    {
        PinRequestReason reason = PinRequestReason.None;
        if (State == RegistrationSessionState.Registered)
        {
            string? boundMac = _forms.MultilineIpSets.FindMacByDn(_dn!);
            if (_forms.TelephoneDirectory.Find(_dn!) == null)
            {
                reason = PinRequestReason.DnDeleted;
            }
            else if (boundMac != null && boundMac != Mac)
            {
                reason = PinRequestReason.DnInUse;
            }
            else if (boundMac == null)
            {
                reason = PinRequestReason.MacDeleted;
            }
        }
        else if (State == RegistrationSessionState.RegisteredAtSecondary)
        {
            (int Primary, int? Secondary)? homes = _forms.ClusterDirectory.RemoteHomes(_dn!);
            if (!homes.HasValue || homes.Value.Secondary != _forms.ClusterDirectory.LocalCeidIndex())
            {
                reason = PinRequestReason.DnDeleted;
            }
        }

        return reason == PinRequestReason.None ? new List<RegistrationMessage>() : Release(reason, now);
    }

    /// <summary>Tells a registered set to clear its PIN and reset (an administrator deleted it); empty when it is not registered.</summary>
    public List<RegistrationMessage> Release(PinRequestReason reason, long now)
    {
        List<RegistrationMessage> frames = new();
        if (!IsRegistered)
        {
            return frames;
        }

        Enter(RegistrationSessionState.Released, now);
        frames.Add(RegistrationMessage.ClearPin(reason));
        frames.Add(RegistrationMessage.Reset(reason == PinRequestReason.DnDeleted ? "dn-deleted" : reason == PinRequestReason.DnInUse ? "dn-in-use" : "mac-deleted"));
        return frames;
    }

    private void Enter(RegistrationSessionState state, long now)
    {
        State = state;
        StateSince = now;
    }

    // The seed's order: the MAC first; only an unknown MAC without a PIN is asked for one.
    private void OnRegister(RegistrationMessage message, long now, RegistrationOutcome outcome)
    {
        if (message.Mac == null || message.Mac.Length != 6)
        {
            Enter(RegistrationSessionState.AwaitingRegister, now);
            outcome.Replies.Add(RegistrationMessage.Error("Register needs a 6-byte MAC"));
            return;
        }

        Mac = FormValidation.MacText(message.Mac);
        _failover = message.Failover;
        SetRow? row = _forms.MultilineIpSets.FindByMac(Mac);
        bool withoutPinMemory = Array.IndexOf(_policy.NoPinMemorySetTypes, message.SetType) >= 0 || (row != null && !row.PinMemory);
        if (withoutPinMemory || message.Pin == null)
        {
            outcome.Replies.Add(ByMac(row, withoutPinMemory, now));
        }
        else if (message.Pin == _forms.SystemOptions.RegistrationAccessCode && row != null)
        {
            // A userless device (Automatic DN Selection) stores the bare registration code: its MAC names its DN.
            outcome.Replies.Add(RegisterOnRow(row, now) ?? Prompt(PinRequestReason.UnknownDn, now));
        }
        else
        {
            outcome.Replies.Add(Evaluate(message.Pin, fromMemory: true, now, outcome));
        }
    }

    // No PIN (or a device that cannot store one): a programmed MAC registers, a MAC reserved on
    // another element's DN is sent there, a device without PIN memory is never prompted.
    private RegistrationMessage ByMac(SetRow? row, bool withoutPinMemory, long now)
    {
        // A MAC learned from a PIN registration that comes back without its PIN was reset with '*'
        // at power-up (the document's way to pick a new DN): it is prompted like an unknown set.
        if (row != null && (row.Programmed || withoutPinMemory) && RegisterOnRow(row, now) is RegistrationMessage registered)
        {
            return registered;
        }

        string? remoteDn = row == null ? _forms.MultilineIpSets.FindRemoteReservation(Mac!) : null;
        if (remoteDn != null && _forms.ClusterDirectory.ResolveRemote(remoteDn) is (string Address, int Port, int CeidIndex) home)
        {
            Enter(RegistrationSessionState.Redirected, now);
            return WithAlternate(RegistrationMessage.Redirect(home.Address, home.Port, false), remoteDn);
        }

        if (withoutPinMemory)
        {
            Enter(RegistrationSessionState.AwaitingRegister, now);
            return RegistrationMessage.Error("device without PIN memory: reserve MAC " + Mac + " on a DN in Multiline IP Sets");
        }

        return Prompt(PinRequestReason.NoneStored, now);
    }

    private RegistrationMessage? RegisterOnRow(SetRow row, long now)
    {
        string? name = _forms.TelephoneDirectory.Find(row.Dn);
        return name == null ? null : Register(row.Dn, name, savePin: false, now);
    }

    private RegistrationMessage Evaluate(string pin, bool fromMemory, long now, RegistrationOutcome outcome)
    {
        string mac = Mac!;
        if (!fromMemory && _lockouts.IsLocked(mac, now))
        {
            return LockedOut(now);
        }

        string registrationCode = _forms.SystemOptions.RegistrationAccessCode;
        if (!fromMemory && pin == registrationCode && _forms.SystemOptions.AutomaticDnRange.Length > 0)
        {
            return SelectDn(now, outcome);
        }

        if (!PinCode.TrySplit(pin, registrationCode, _forms.SystemOptions.ReplacementAccessCode, out string dn, out bool isReplacement))
        {
            // A remembered PIN with another element's (or an old) access code: prompt, as the seed says.
            return fromMemory ? Prompt(PinRequestReason.AccessCodeMismatch, now) : Wrong(PinRequestReason.InvalidAccessCode, now);
        }

        string? name = _forms.TelephoneDirectory.Find(dn);
        if (name != null)
        {
            return Local(dn, name, isReplacement, fromMemory, now, outcome);
        }

        (int Primary, int? Secondary)? homes = _forms.ClusterDirectory.RemoteHomes(dn);
        if (homes.HasValue && homes.Value.Secondary == _forms.ClusterDirectory.LocalCeidIndex() && _failover)
        {
            return AtSecondary(dn, homes.Value.Primary, now);
        }

        (string Address, int Port, int CeidIndex)? home = _forms.ClusterDirectory.ResolveRemote(dn);
        if (home.HasValue)
        {
            _lockouts.Clear(mac);
            Enter(RegistrationSessionState.Redirected, now);
            return WithAlternate(RegistrationMessage.Redirect(home.Value.Address, home.Value.Port, true), dn);
        }

        return fromMemory ? Clear(PinRequestReason.UnknownDn, now) : Wrong(PinRequestReason.WrongPin, now);
    }

    // A DN of this element. The replacement code moves a DN to this set only when typed: a stored
    // replacement PIN re-registers the set that owns the DN and no other, so two sets that both
    // stored it cannot take the DN from each other on every reboot.
    private RegistrationMessage Local(string dn, string name, bool isReplacement, bool fromMemory, long now, RegistrationOutcome outcome)
    {
        string mac = Mac!;
        string? boundMac = _forms.MultilineIpSets.FindMacByDn(dn);
        if (boundMac != null && boundMac != mac && (!isReplacement || fromMemory))
        {
            return Clear(PinRequestReason.DnInUse, now);
        }

        if (isReplacement && boundMac == null)
        {
            // The replacement code does not work unless the DN is programmed with a MAC.
            return fromMemory ? Prompt(PinRequestReason.InvalidAccessCode, now) : Wrong(PinRequestReason.InvalidAccessCode, now);
        }

        // A DN already mapped to this MAC (every re-registration) needs no write: MAC is unique in
        // the form, so Map would change nothing, and skipping it spares a write transaction and a
        // WAL commit per registration.
        if (boundMac != mac)
        {
            _forms.MultilineIpSets.Map(mac, dn);
            outcome.DisplacedMac = boundMac;
        }

        return Register(dn, name, savePin: true, now);
    }

    // The set lost its primary and comes here as the DN's secondary element.
    private RegistrationMessage AtSecondary(string dn, int primaryCeid, long now)
    {
        _lockouts.Clear(Mac!);
        _dn = dn;
        Enter(RegistrationSessionState.RegisteredAtSecondary, now);
        RegistrationMessage registered = RegistrationMessage.Registered(dn, string.Empty, true);
        (string Address, int Port)? primary = _forms.ClusterDirectory.ElementEndpoint(primaryCeid);
        if (primary.HasValue)
        {
            registered.AlternateHost = primary.Value.Address;
            registered.AlternatePort = primary.Value.Port;
            registered.AllowReturn = _policy.AllowReturnToPrimary;
        }

        return registered;
    }

    // Registered here; the frame carries the DN's secondary element, where the set goes if this one stops answering.
    private RegistrationMessage Register(string dn, string name, bool savePin, long now)
    {
        _lockouts.Clear(Mac!);
        _dn = dn;
        Enter(RegistrationSessionState.Registered, now);
        return WithAlternate(RegistrationMessage.Registered(dn, name, savePin), dn);
    }

    // Registered and Redirect name the DN's secondary element in AlternateHost/Port (empty when it has none).
    private RegistrationMessage WithAlternate(RegistrationMessage frame, string dn)
    {
        (int Primary, int? Secondary)? homes = _forms.ClusterDirectory.RemoteHomes(dn);
        if (homes.HasValue && homes.Value.Secondary.HasValue && _forms.ClusterDirectory.ElementEndpoint(homes.Value.Secondary.Value) is (string Address, int Port) secondary)
        {
            frame.AlternateHost = secondary.Address;
            frame.AlternatePort = secondary.Port;
        }

        return frame;
    }

    private RegistrationMessage Prompt(PinRequestReason reason, long now)
    {
        Enter(RegistrationSessionState.PinRequested, now);
        return RegistrationMessage.PinRequest(reason);
    }

    // ClearPin: the set erases its PIN and prompts.
    private RegistrationMessage Clear(PinRequestReason reason, long now)
    {
        Enter(RegistrationSessionState.PinRequested, now);
        return RegistrationMessage.ClearPin(reason);
    }

    private RegistrationMessage Wrong(PinRequestReason reason, long now)
    {
        return _lockouts.RecordFailure(Mac!, now) ? LockedOut(now) : Prompt(reason, now);
    }

    private RegistrationMessage LockedOut(long now)
    {
        RegistrationMessage frame = Prompt(PinRequestReason.LockedOut, now);
        frame.RetrySeconds = (int)Math.Min(65_535, (_lockouts.RemainingMilliseconds(Mac!, now) + 999) / 1000);
        return frame;
    }

    // Userless devices: the DN is created here ("IP Device Only") and announced to the other elements.
    private RegistrationMessage SelectDn(long now, RegistrationOutcome outcome)
    {
        string? dn = AutomaticDnSelection.Hunt(_forms, _policy);
        if (dn == null)
        {
            return Wrong(PinRequestReason.UnknownDn, now);
        }

        _forms.TelephoneDirectory.Add(dn, AutomaticDnSelection.DirectoryName);
        _forms.MultilineIpSets.Map(Mac!, dn);
        outcome.Announcement = RegistrationMessage.RdnUpdate(dn, _forms.ClusterDirectory.LocalCeidIndex(), 0, false);
        return Register(dn, AutomaticDnSelection.DirectoryName, savePin: true, now);
    }

    // True when the update changed Remote Directory Numbers; never lets another element's list shadow a DN programmed here.
    private bool ApplyRdnUpdate(RegistrationMessage update)
    {
        if (!PinCode.IsValidDn(update.Dn) || _forms.TelephoneDirectory.Find(update.Dn) != null)
        {
            return false;
        }

        if (update.Deleted)
        {
            return _forms.ClusterDirectory.DeleteRemoteDirectoryNumber(update.Dn);
        }

        if (update.CeidIndex < 1 || update.CeidIndex > 999)
        {
            return false;
        }

        _forms.ClusterDirectory.AddRemoteDirectoryNumber(update.Dn, update.CeidIndex, update.SecondaryCeidIndex == 0 || update.SecondaryCeidIndex == update.CeidIndex ? null : update.SecondaryCeidIndex);
        return true;
    }
}
