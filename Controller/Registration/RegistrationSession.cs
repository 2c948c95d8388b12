using System;
using System.Collections.Generic;
using Controller.Forms;
using Protocol.Registration;

namespace Controller.Registration;

/// <summary>
/// The call server's side of one phone's registration, as the seed document describes it:
/// PIN request for an unknown set, local DN → register and map the MAC, remote DN → save PIN
/// and redirect, DN bound to another MAC → clear PIN and prompt, bad access code → prompt again,
/// wrong PINs → lock-out, the replacement code, Automatic DN Selection, reservation-only devices,
/// and registration at a DN's secondary element on failover. Pure decisions over the forms; the
/// server moves the frames and serialises database access.
/// </summary>
public sealed class RegistrationSession
{
    private readonly ElementForms _forms;
    private readonly RegistrationPolicy _policy;
    private readonly PinLockouts _lockouts;
    private bool _failover;

    public RegistrationSession(ElementForms forms, RegistrationPolicy policy, PinLockouts lockouts)
    {
        _forms = forms;
        _policy = policy;
        _lockouts = lockouts;
    }

    /// <summary>The set's MAC (aa:bb:..), once it has sent Register.</summary>
    public string? Mac { get; private set; }

    /// <summary>The DN the set is registered on here, or null.</summary>
    public string? RegisteredDn { get; private set; }

    /// <summary>True when the set is registered here as its DN's secondary element.</summary>
    public bool IsSecondaryRegistration { get; private set; }

    /// <summary>True when the last frame handled was an RdnUpdate from another element (already applied to the forms).</summary>
    public bool LastFrameWasFromAnElement { get; private set; }

    /// <summary>Handles one frame from the phone; returns the frames to send back, in order.</summary>
    public List<RegistrationMessage> Handle(RegistrationMessage message, long now)
    {
        List<RegistrationMessage> replies = new();
        LastFrameWasFromAnElement = false;
        switch (message.Type)
        {
            case RegistrationMessageType.Register:
                if (message.Mac == null || message.Mac.Length != 6)
                {
                    replies.Add(RegistrationMessage.Error("Register needs a 6-byte MAC"));
                    break;
                }

                Mac = FormValidation.MacText(message.Mac);
                RegisteredDn = null;
                IsSecondaryRegistration = false;
                _failover = message.Failover;
                if (IsWithoutPinMemory(message.SetType))
                {
                    replies.Add(RegisterReserved());
                }
                else if (message.Pin == null)
                {
                    replies.Add(RegistrationMessage.PinRequest(PinRequestReason.NoneStored));
                }
                else
                {
                    replies.Add(Evaluate(message.Pin, fromMemory: true, now));
                }

                break;
            case RegistrationMessageType.PinEntry:
                if (Mac == null)
                {
                    replies.Add(RegistrationMessage.Error("PinEntry before Register"));
                    break;
                }

                replies.Add(Evaluate(message.Pin ?? string.Empty, fromMemory: false, now));
                break;
            case RegistrationMessageType.KeepaliveAck:
            case RegistrationMessageType.KeyEvent:
                break;
            case RegistrationMessageType.Keepalive:
                replies.Add(RegistrationMessage.KeepaliveAck(message.Sequence));
                break;
            case RegistrationMessageType.RdnUpdate:
                LastFrameWasFromAnElement = true;
                ApplyRdnUpdate(message);
                break;
            default:
                replies.Add(RegistrationMessage.Error("unknown frame type " + (int)message.Type));
                break;
        }

        return replies;
    }

    /// <summary>
    /// After an administrator changed the forms: a registered set whose DN was deleted, or whose
    /// Multiline IP Sets row was, is told to clear its PIN and hard-reset (it then prompts).
    /// </summary>
    public List<RegistrationMessage> Recheck()
    {
        List<RegistrationMessage> frames = new();
        if (RegisteredDn == null || Mac == null || IsSecondaryRegistration)
        {
            return frames;
        }

        PinRequestReason? reason = null;
        if (_forms.TelephoneDirectory.Find(RegisteredDn) == null)
        {
            reason = PinRequestReason.DnDeleted;
        }
        else if (_forms.MultilineIpSets.FindDnByMac(Mac) != RegisteredDn)
        {
            reason = PinRequestReason.MacDeleted;
        }

        if (reason.HasValue)
        {
            RegisteredDn = null;
            frames.Add(RegistrationMessage.ClearPin(reason.Value));
            frames.Add(RegistrationMessage.Reset(reason.Value == PinRequestReason.DnDeleted ? "dn-deleted" : "mac-deleted"));
        }

        return frames;
    }

    private bool IsWithoutPinMemory(int setType)
    {
        return Array.IndexOf(_policy.NoPinMemorySetTypes, setType) >= 0;
    }

    // A device with no PIN memory must have been programmed with its MAC (a reservation).
    private RegistrationMessage RegisterReserved()
    {
        string? dn = _forms.MultilineIpSets.FindDnByMac(Mac!);
        string? name = dn == null ? null : _forms.TelephoneDirectory.Find(dn);
        if (dn == null || name == null)
        {
            return RegistrationMessage.Error("device without PIN memory: reserve MAC " + Mac + " on a DN in Multiline IP Sets");
        }

        RegisteredDn = dn;
        return Registered(dn, name, savePin: false);
    }

    private RegistrationMessage Evaluate(string pin, bool fromMemory, long now)
    {
        string mac = Mac!;
        if (!fromMemory && _lockouts.IsLocked(mac, now))
        {
            return RegistrationMessage.PinRequest(PinRequestReason.LockedOut);
        }

        string registrationCode = _forms.SystemOptions.RegistrationAccessCode;
        string replacementCode = _forms.SystemOptions.ReplacementAccessCode;
        if (!fromMemory && pin == registrationCode && _forms.SystemOptions.AutomaticDnRange.Length > 0)
        {
            return AutomaticDnSelection(now);
        }

        if (!PinCode.TrySplit(pin, registrationCode, replacementCode, out string dn, out bool isReplacement))
        {
            // A remembered PIN with another element's (or an old) access code: prompt, as the seed says.
            return fromMemory ? RegistrationMessage.PinRequest(PinRequestReason.AccessCodeMismatch) : Wrong(PinRequestReason.InvalidAccessCode, now);
        }

        string? name = _forms.TelephoneDirectory.Find(dn);
        if (name != null)
        {
            string? boundMac = _forms.MultilineIpSets.FindMacByDn(dn);
            if (boundMac != null && boundMac != mac && !isReplacement)
            {
                return RegistrationMessage.ClearPin(PinRequestReason.DnInUse);
            }

            if (isReplacement && boundMac == null)
            {
                // The replacement code takes over a set that exists; a DN without one is a wrong PIN.
                return Wrong(PinRequestReason.InvalidAccessCode, now);
            }

            // A DN already mapped to this MAC (every re-registration) needs no write: MAC is unique in
            // the form, so Map would change nothing, and skipping it spares a write transaction and a
            // WAL commit per registration.
            if (boundMac != mac)
            {
                _forms.MultilineIpSets.Map(mac, dn);
            }

            _lockouts.Clear(mac);
            RegisteredDn = dn;
            return Registered(dn, name, savePin: true);
        }

        (int Primary, int? Secondary)? homes = _forms.ClusterDirectory.RemoteHomes(dn);
        int local = _forms.ClusterDirectory.LocalCeidIndex();
        if (homes.HasValue && homes.Value.Secondary == local && _failover)
        {
            // The set lost its primary and comes here as the DN's secondary element.
            _lockouts.Clear(mac);
            RegisteredDn = dn;
            IsSecondaryRegistration = true;
            RegistrationMessage registered = RegistrationMessage.Registered(dn, string.Empty, true);
            (string Address, int Port)? primary = _forms.ClusterDirectory.ElementEndpoint(homes.Value.Primary);
            if (primary.HasValue)
            {
                registered.AlternateHost = primary.Value.Address;
                registered.AlternatePort = primary.Value.Port;
                registered.AllowReturn = _policy.AllowReturnToPrimary;
            }

            return registered;
        }

        (string Address, int Port, int CeidIndex)? home = _forms.ClusterDirectory.ResolveRemote(dn);
        if (home.HasValue)
        {
            _lockouts.Clear(mac);
            return RegistrationMessage.Redirect(home.Value.Address, home.Value.Port, true);
        }

        return fromMemory ? RegistrationMessage.ClearPin(PinRequestReason.UnknownDn) : Wrong(PinRequestReason.WrongPin, now);
    }

    // The registered frame carries the DN's secondary element, where the set goes if this one stops answering.
    private RegistrationMessage Registered(string dn, string name, bool savePin)
    {
        RegistrationMessage registered = RegistrationMessage.Registered(dn, name, savePin);
        (int Primary, int? Secondary)? homes = _forms.ClusterDirectory.RemoteHomes(dn);
        if (homes.HasValue && homes.Value.Secondary.HasValue)
        {
            (string Address, int Port)? secondary = _forms.ClusterDirectory.ElementEndpoint(homes.Value.Secondary.Value);
            if (secondary.HasValue)
            {
                registered.AlternateHost = secondary.Value.Address;
                registered.AlternatePort = secondary.Value.Port;
            }
        }

        return registered;
    }

    private RegistrationMessage Wrong(PinRequestReason reason, long now)
    {
        return _lockouts.RecordFailure(Mac!, now) ? RegistrationMessage.PinRequest(PinRequestReason.LockedOut) : RegistrationMessage.PinRequest(reason);
    }

    // Userless devices: hunt circularly in the range for a DN nobody has, skipping local-only DNs.
    private RegistrationMessage AutomaticDnSelection(long now)
    {
        string[] range = _forms.SystemOptions.AutomaticDnRange.Split('-');
        long first = long.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        long last = long.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture);
        int width = range[0].Length;
        long count = last - first + 1;
        long start = long.TryParse(_forms.SystemOptions.AutomaticDnCursor, out long cursor) && cursor >= first && cursor <= last ? cursor : first;
        int skipped = 0;
        for (long i = 0; i < count; i++)
        {
            long number = first + ((start - first + i) % count);
            string dn = number.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
            if (_forms.TelephoneDirectory.Find(dn) != null || _forms.ClusterDirectory.RemoteHomes(dn).HasValue)
            {
                skipped++;
                if (skipped >= _policy.AutomaticDnSkipLimit)
                {
                    break;
                }

                continue;
            }

            _forms.TelephoneDirectory.Add(dn, "IP Device Only");
            _forms.MultilineIpSets.Map(Mac!, dn);
            _forms.SystemOptions.AutomaticDnCursor = (number + 1 > last ? first : number + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            RegisteredDn = dn;
            return Registered(dn, "IP Device Only", savePin: true);
        }

        return Wrong(PinRequestReason.UnknownDn, now);
    }

    private void ApplyRdnUpdate(RegistrationMessage update)
    {
        if (!PinCode.IsValidDn(update.Dn) || _forms.TelephoneDirectory.Find(update.Dn) != null)
        {
            return; // never let another element's list shadow a DN programmed here
        }

        if (update.Deleted)
        {
            _forms.ClusterDirectory.DeleteRemoteDirectoryNumber(update.Dn);
        }
        else if (update.CeidIndex >= 1 && update.CeidIndex <= 999)
        {
            _forms.ClusterDirectory.AddRemoteDirectoryNumber(update.Dn, update.CeidIndex, update.SecondaryCeidIndex == 0 || update.SecondaryCeidIndex == update.CeidIndex ? null : update.SecondaryCeidIndex);
        }
    }
}
