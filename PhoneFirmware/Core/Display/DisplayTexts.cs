using Protocol.Registration;

namespace PhoneFirmware.Core.Display;

/// <summary>
/// What the display says during registration: every text of docs/display.md, in one place.
/// Each fits the 20-character row of the bench display.
/// </summary>
public static class DisplayTexts
{
    public const string WaitingForTcpLink = "Waiting for TCP link";
    public const string WaitingForAck = "Waiting for ACK...";
    public const string WaitingForComms = "Waiting for COMMS...";
    public const string Redirected = "Redirected";
    public const string Failover = "Failover";
    public const string ReturnToPrimary = "Return to primary";
    public const string CallServerError = "Call server error";
    public const string RegisteredNoName = "Registered";
    public const string SipNumberPrompt = "Number?";
    public const string SipPasswordPrompt = "PIN?";
    public const string SipEntryInvalid = "Invalid. Again:";
    public const string SipRegistering = "SIP registering";

    /// <summary>SIP: the password prompt after the registrar refused the credentials, naming it (cut to the row).</summary>
    public static string SipRefused(string registrar)
    {
        string text = "Refused " + registrar;
        return text.Length > 20 ? text.Substring(0, 20) : text;
    }

    /// <summary>The prompt row for a PIN request: the reason first, so each re-prompt reads differently.</summary>
    public static string Prompt(PinRequestReason reason, int retrySeconds)
    {
        switch (reason)
        {
            case PinRequestReason.InvalidAccessCode: return "Bad access code PIN:";
            case PinRequestReason.AccessCodeMismatch: return "Code changed. PIN:";
            case PinRequestReason.DnInUse: return "DN in use. PIN:";
            case PinRequestReason.WrongPin: return "Wrong PIN. PIN:";
            case PinRequestReason.UnknownDn: return "Unknown DN. PIN:";
            case PinRequestReason.DnDeleted: return "DN removed. PIN:";
            case PinRequestReason.MacDeleted: return "Set removed. PIN:";
            case PinRequestReason.LockedOut:
                return retrySeconds > 0 ? "Locked " + Duration(retrySeconds) + ". PIN:" : "Locked out. PIN:";
            default: return "Enter PIN:";
        }
    }

    /// <summary>The top row while backing off, by cause.</summary>
    public static string BackOff(string cause)
    {
        switch (cause)
        {
            case "redirect-loop": return "Redirect loop";
            case "redirect-failed": return "Redirect failed";
            default: return "No call server";
        }
    }

    /// <summary>The second row while backing off: "Retry in 4s".</summary>
    public static string RetryIn(int milliseconds)
    {
        return "Retry in " + Duration((milliseconds + 999) / 1000);
    }

    /// <summary>The registered screen: the DN on top, the directory name below.</summary>
    public static string RegisteredDn(string dn)
    {
        return "DN " + dn;
    }

    public static string RegisteredName(string displayName)
    {
        return displayName.Length > 0 ? displayName : RegisteredNoName;
    }

    private static string Duration(int seconds)
    {
        return seconds >= 120 ? ((seconds + 59) / 60).ToString() + "min" : seconds.ToString() + "s";
    }
}
