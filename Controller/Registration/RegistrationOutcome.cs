using System.Collections.Generic;
using Protocol.Registration;

namespace Controller.Registration;

/// <summary>What one frame handled by <see cref="RegistrationSession.Handle"/> asks of the server.</summary>
public sealed class RegistrationOutcome
{
    /// <summary>The frames to send back on the link, in order.</summary>
    public List<RegistrationMessage> Replies { get; } = new();

    /// <summary>An RdnUpdate to send to every other element (a DN this frame created, by Automatic DN Selection), or null.</summary>
    public RegistrationMessage? Announcement { get; set; }

    /// <summary>An RdnUpdate from another element that this frame applied to Remote Directory Numbers, or null.</summary>
    public RegistrationMessage? AppliedUpdate { get; set; }

    /// <summary>
    /// The MAC whose DN this frame gave to another set (the replacement code), or null. A live link
    /// of that MAC must be told to clear its PIN and reset, so one DN never has two live registrations.
    /// </summary>
    public string? DisplacedMac { get; set; }
}
