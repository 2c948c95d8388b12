using Protocol.Dhcp;

namespace PhoneFirmware.Core.Registration;

/// <summary>
/// The registration stage of the boot as the sequencer sees it: the seam where a call-control
/// protocol plugs in (the bench protocol today, SIP next). The sequencer starts it with the call
/// servers DHCP named and the stored credential, steps it with the time, hands it what the user
/// typed, and maps its events to the screen and the flash. Nothing here blocks.
/// </summary>
public interface IRegistrationStage
{
    /// <summary>A protocol-neutral summary of where the stage is.</summary>
    RegistrationPhase Phase { get; }

    /// <summary>The DN registered on, or empty.</summary>
    string Dn { get; }

    /// <summary>
    /// Starts registering at <paramref name="servers"/> (tried in order; names looked up at
    /// <paramref name="dnsServers"/>) with the stored credential (null: none).
    /// </summary>
    void Start(ServerEndpoint[] servers, uint[] dnsServers, string? credential, long now);

    /// <summary>Advances to <paramref name="now"/>; returns when it next needs a step.</summary>
    long Step(long now);

    /// <summary>The next event, or null.</summary>
    RegistrationEvent? PollEvent();

    /// <summary>The PIN the user typed and confirmed at a prompt (ignored when not prompting).</summary>
    void SubmitPin(string pin, long now);

    /// <summary>The stored credential changed outside the stage (cleared by the sequencer).</summary>
    void ForgetCredential();

    /// <summary>Drops every link; <see cref="Phase"/> becomes Idle.</summary>
    void Stop();
}
