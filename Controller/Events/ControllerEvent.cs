using System;

namespace Controller.Events;

/// <summary>
/// One thing an element did that an administrator watches for: a PIN prompt and its reason, a
/// redirect and its target, a clear, a reset, a lock-out, a failover, a DHCP lease, a TFTP transfer.
/// <see cref="Kind"/> is one of <see cref="ControllerEventKinds"/>.
/// </summary>
public sealed record ControllerEvent(long Sequence, DateTimeOffset Time, string Kind, string Subject, string Detail);

/// <summary>The kinds of <see cref="ControllerEvent"/> (stable names: the web page styles and filters by them).</summary>
public static class ControllerEventKinds
{
    public const string PinPrompt = "pin-prompt";
    public const string Registered = "registered";
    public const string Redirect = "redirect";
    public const string Clear = "clear";
    public const string Reset = "reset";
    public const string LockOut = "lock-out";
    public const string Failover = "failover";
    public const string Disconnected = "disconnected";
    public const string DhcpLease = "dhcp-lease";
    public const string Tftp = "tftp";
    public const string FormChanged = "form-changed";
}
