using System.Collections.Generic;
using Controller.Forms;
using Protocol.Registration;

namespace Controller.Registration;

/// <summary>
/// The call server's side of one phone's registration, as the seed document describes it:
/// PIN request for an unknown set, local DN → register and map the MAC, remote DN → save PIN
/// and redirect, DN bound to another MAC → clear PIN and prompt, bad access code → prompt again.
/// Pure decisions over the forms; the server moves the frames.
/// </summary>
public sealed class RegistrationSession
{
    private readonly ElementForms _forms;

    public RegistrationSession(ElementForms forms)
    {
        _forms = forms;
    }

    /// <summary>The set's MAC (aa:bb:..), once it has sent Register.</summary>
    public string? Mac { get; private set; }

    /// <summary>The DN the set is registered on here, or null.</summary>
    public string? RegisteredDn { get; private set; }

    /// <summary>Handles one frame from the phone; returns the frames to send back, in order.</summary>
    public List<RegistrationMessage> Handle(RegistrationMessage message)
    {
        List<RegistrationMessage> replies = new();
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
                if (message.Pin == null)
                {
                    replies.Add(RegistrationMessage.PinRequest(PinRequestReason.NoneStored));
                }
                else
                {
                    replies.Add(Evaluate(message.Pin, fromMemory: true));
                }

                break;
            case RegistrationMessageType.PinEntry:
                if (Mac == null)
                {
                    replies.Add(RegistrationMessage.Error("PinEntry before Register"));
                    break;
                }

                replies.Add(Evaluate(message.Pin ?? string.Empty, fromMemory: false));
                break;
            case RegistrationMessageType.KeepaliveAck:
            case RegistrationMessageType.KeyEvent:
                break;
            case RegistrationMessageType.Keepalive:
                replies.Add(RegistrationMessage.KeepaliveAck(message.Sequence));
                break;
            default:
                replies.Add(RegistrationMessage.Error("unexpected " + message.Type + " from a phone"));
                break;
        }

        return replies;
    }

    private RegistrationMessage Evaluate(string pin, bool fromMemory)
    {
        string registrationCode = _forms.SystemOptions.RegistrationAccessCode;
        string replacementCode = _forms.SystemOptions.ReplacementAccessCode;
        if (!PinCode.TrySplit(pin, registrationCode, replacementCode, out string dn, out bool isReplacement))
        {
            // A remembered PIN with another element's (or an old) access code: prompt, as the seed says.
            return RegistrationMessage.PinRequest(fromMemory ? PinRequestReason.AccessCodeMismatch : PinRequestReason.InvalidAccessCode);
        }

        string? name = _forms.TelephoneDirectory.Find(dn);
        if (name != null)
        {
            string? boundMac = _forms.MultilineIpSets.FindMacByDn(dn);
            if (boundMac != null && boundMac != Mac)
            {
                if (!isReplacement)
                {
                    return RegistrationMessage.ClearPin(PinRequestReason.DnInUse);
                }
            }
            else if (isReplacement && boundMac == null)
            {
                // The replacement code only works for a DN already programmed with a MAC.
                return RegistrationMessage.PinRequest(PinRequestReason.InvalidAccessCode);
            }

            _forms.MultilineIpSets.Map(Mac!, dn);
            RegisteredDn = dn;
            return RegistrationMessage.Registered(dn, name, true);
        }

        (string Address, int Port, int CeidIndex)? home = _forms.ClusterDirectory.ResolveRemote(dn);
        if (home.HasValue)
        {
            return RegistrationMessage.Redirect(home.Value.Address, home.Value.Port, true);
        }

        return fromMemory ? RegistrationMessage.ClearPin(PinRequestReason.UnknownDn) : RegistrationMessage.PinRequest(PinRequestReason.UnknownDn);
    }
}
