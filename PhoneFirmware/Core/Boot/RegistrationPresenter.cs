using PhoneFirmware.Core.Display;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Registration;
using PhoneFirmware.Core.Storage;
using Protocol.Registration;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// Maps the registration stage's events to what the phone shows and keeps: the display rows
/// and progress bar (docs/display.md), the PIN record in flash, the published events.
/// </summary>
public sealed class RegistrationPresenter
{
    private readonly PhoneScreen _screen;
    private readonly IPhoneEventSink _events;
    private readonly PinStore _pinStore;
    private string _dn = string.Empty;
    private string _displayName = string.Empty;

    public RegistrationPresenter(PhoneScreen screen, IPhoneEventSink events, PinStore pinStore)
    {
        _screen = screen;
        _events = events;
        _pinStore = pinStore;
    }

    public void Present(RegistrationEvent e, string mac)
    {
        switch (e.Kind)
        {
            case RegistrationEventKind.Progress:
                ShowProgress(e);
                break;
            case RegistrationEventKind.Resolved:
                _events.Publish(new PhoneEvent(EventNames.CallServerResolved).With("name", e.Target).With("address", e.Text));
                break;
            case RegistrationEventKind.RegisterSent:
                _events.Publish(new PhoneEvent(EventNames.RegisterSent).With("controller", e.Target).With("mac", mac).With("pin", e.HasPin));
                break;
            case RegistrationEventKind.Prompt:
                PhoneEvent prompt = new PhoneEvent(EventNames.PinPrompt).With("reason", ReasonText(e.Reason));
                if (e.Text.Length > 0)
                {
                    // A stage with its own prompts (SIP: number, then password) names the entry and the text.
                    prompt.With("entry", e.Target).With("display", e.Text);
                }

                _events.Publish(e.RetrySeconds > 0 ? prompt.With("retrySeconds", e.RetrySeconds) : prompt);
                _screen.Progress(-1);
                _screen.Show(e.Text.Length > 0 ? e.Text : DisplayTexts.Prompt(e.Reason, e.RetrySeconds), string.Empty);
                break;
            case RegistrationEventKind.CredentialsSaved:
                _events.Publish(new PhoneEvent(EventNames.PinSaved).With("number", e.Dn));
                break;
            case RegistrationEventKind.CredentialsCleared:
                PhoneEvent cleared = new PhoneEvent(EventNames.PinCleared).With("reason", e.Text);
                _events.Publish(e.Dn.Length > 0 ? cleared.With("kept", e.Dn).With("status", e.Status).With("controller", e.Target) : cleared.With("status", e.Status));
                break;
            case RegistrationEventKind.ProtocolReport:
                _events.Publish(new PhoneEvent(e.Text).With("status", e.Status).With("seconds", e.Seconds).With("controller", e.Target));
                break;
            case RegistrationEventKind.SavePin:
                _pinStore.Write(e.Pin);
                _events.Publish(new PhoneEvent(EventNames.PinSaved).With("pin", e.Pin!));
                break;
            case RegistrationEventKind.ClearPin:
                ClearPin(ReasonText(e.Reason));
                break;
            case RegistrationEventKind.Registered:
                _dn = e.Dn;
                _displayName = e.DisplayName;
                _events.Publish(new PhoneEvent(EventNames.Registered).With("dn", e.Dn).With("name", e.DisplayName).With("controller", e.Target));
                break;
            case RegistrationEventKind.InService:
                _events.Publish(new PhoneEvent(EventNames.InService).With("dn", _dn));
                _screen.Progress(-1);
                _screen.Show(DisplayTexts.RegisteredDn(_dn), DisplayTexts.RegisteredName(_displayName));
                break;
            case RegistrationEventKind.Redirect:
                _events.Publish(new PhoneEvent(EventNames.Redirect).With("target", e.Target).With("from", e.From).With("hops", e.Hops));
                break;
            case RegistrationEventKind.RedirectLimit:
                _events.Publish(new PhoneEvent(EventNames.RedirectLimit).With("target", e.Target).With("from", e.From).With("hops", e.Hops));
                break;
            case RegistrationEventKind.DisplayText:
                _screen.SetLine(e.Row, e.Text);
                break;
            case RegistrationEventKind.ServerError:
                _screen.Show(DisplayTexts.CallServerError, e.Text);
                break;
            case RegistrationEventKind.ConnectionLost:
                _events.Publish(new PhoneEvent(EventNames.ConnectionLost).With("controller", e.Target).With("reason", e.Text));
                break;
            case RegistrationEventKind.Unreachable:
                _events.Publish(new PhoneEvent(EventNames.CallServerUnreachable).With("controller", e.Target).With("reason", e.Text));
                break;
            case RegistrationEventKind.Failover:
                _events.Publish(new PhoneEvent(EventNames.Failover).With("from", e.From).With("to", e.Target).With("reason", e.Text));
                break;
            case RegistrationEventKind.ReturnToPrimary:
                _events.Publish(new PhoneEvent(EventNames.ReturnToPrimary).With("from", e.From).With("to", e.Target));
                break;
        }
    }

    public void ClearPin(string reason)
    {
        if (_pinStore.Read() != null)
        {
            _pinStore.Write(null);
        }

        _events.Publish(new PhoneEvent(EventNames.PinCleared).With("reason", reason));
    }

    private void ShowProgress(RegistrationEvent e)
    {
        // Re-homing (redirect, failover, return) shows its three stages as a three-block bar.
        bool rehoming = e.Route != RegistrationRoute.CallServers;
        switch (e.Stage)
        {
            case RegistrationStage.TcpLink:
                _screen.Show(rehoming ? RouteTitle(e.Route) : DisplayTexts.WaitingForTcpLink, e.Target);
                _screen.Progress(rehoming ? 33 : -1);
                break;
            case RegistrationStage.Ack:
                _screen.Show(DisplayTexts.WaitingForAck, e.Target);
                _screen.Progress(rehoming ? 66 : -1);
                break;
            case RegistrationStage.Comms:
                _screen.Show(DisplayTexts.WaitingForComms, e.Target);
                _screen.Progress(rehoming ? 100 : -1);
                break;
            case RegistrationStage.BackingOff:
                _events.Publish(new PhoneEvent(EventNames.BackingOff).With("cause", e.Target).With("milliseconds", e.RetryMilliseconds));
                _screen.Progress(-1);
                _screen.Show(DisplayTexts.BackOff(e.Target), DisplayTexts.RetryIn(e.RetryMilliseconds));
                break;
        }
    }

    private static string RouteTitle(RegistrationRoute route)
    {
        switch (route)
        {
            case RegistrationRoute.Failover: return DisplayTexts.Failover;
            case RegistrationRoute.ReturnToPrimary: return DisplayTexts.ReturnToPrimary;
            default: return DisplayTexts.Redirected;
        }
    }

    public static string ReasonText(PinRequestReason reason)
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
