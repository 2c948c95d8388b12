namespace PhoneFirmware.Core.Events;

/// <summary>The event names lab scripts depend on (`phone --events json`, `--exit-after`). Keep them stable.</summary>
public static class EventNames
{
    public const string PowerUp = "power.up";
    public const string DhcpOfferRejected = "dhcp.offer.rejected";
    public const string DhcpBound = "dhcp.bound";
    public const string StaticAddress = "network.static";
    public const string DhcpVlan = "dhcp.vlan";
    public const string DhcpRenewed = "dhcp.renewed";
    public const string DhcpRebound = "dhcp.rebound";
    public const string TftpDone = "tftp.done";
    public const string TftpFailed = "tftp.failed";
    public const string TftpManifest = "tftp.manifest";
    public const string TftpSkipped = "tftp.skipped";
    public const string TftpWaiting = "tftp.waiting";
    public const string RegisterSent = "register.sent";
    public const string PinPrompt = "pin.prompt";
    public const string PinEntered = "pin.entered";
    public const string Registered = "registered";
    public const string Redirect = "redirect";
    public const string PinSaved = "pin.saved";
    public const string PinCleared = "pin.cleared";
    public const string Reset = "reset";
    public const string Display = "display";
    public const string ConnectionLost = "connection.lost";
    public const string CallServerUnreachable = "callserver.unreachable";
    public const string CallServerResolved = "callserver.resolved";
    public const string Failover = "failover";
    public const string ReturnToPrimary = "return.primary";

    /// <summary>
    /// A board driver met what its library signals by exception or status (fields "part":
    /// display, keypad, wifi, socket; "reason": the text also shown on the debug link).
    /// </summary>
    public const string DeviceFault = "device.fault";

    /// <summary>A redirect past the hop limit ended the chain (fields "target", "from", "hops").</summary>
    public const string RedirectLimit = "redirect.limit";

    /// <summary>The registered element answered after the acknowledgement: the set is in service.</summary>
    public const string InService = "in.service";

    /// <summary>Waiting before trying again (fields "cause", "milliseconds").</summary>
    public const string BackingOff = "callserver.backoff";

    /// <summary>Typed PIN keys left unconfirmed too long were discarded (field "discarded").</summary>
    public const string PinTimeout = "pin.timeout";

    /// <summary>Keys pressed while no PIN prompt was open were thrown away (field "count").</summary>
    public const string KeysDiscarded = "keys.discarded";

    /// <summary>The serial test port dropped lines because the host read too slowly (field "dropped").</summary>
    public const string TestPortOverflow = "testport.overflow";

    /// <summary>SIP boot: one configuration file fetched, missing or failed (fields "file", "outcome", "server", ...).</summary>
    public const string SipConfigFile = "sip.config.file";

    /// <summary>SIP boot: the configuration files are merged (fields "files", "keys", "malformedLines", "server").</summary>
    public const string SipConfig = "sip.config";

    /// <summary>
    /// A 401/407 was answered with credentials. Fields as every sip.* report: "status" (401 or 407),
    /// "seconds" (1 when the challenge said stale=true, else 0), "controller" (the challenge's realm).
    /// </summary>
    public const string SipChallenge = "sip.challenge";

    /// <summary>A REGISTER refresh was granted (fields "seconds", "controller").</summary>
    public const string SipRefresh = "sip.refresh";

    /// <summary>The binding was removed (field "status": 200, or 0 when the removal went unanswered).</summary>
    public const string SipUnregistered = "sip.unregistered";

    /// <summary>423 Interval Too Brief: retrying with Min-Expires (field "seconds").</summary>
    public const string SipIntervalTooBrief = "sip.interval";

    /// <summary>An OPTIONS keep-alive was answered (field "controller": where from).</summary>
    public const string SipOptions = "sip.options";
}
