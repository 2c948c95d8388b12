using Protocol.Sip;

namespace PhoneFirmware.Core.Registration.Sip;

/// <summary>
/// What a <see cref="SipLine"/> hands back to its stage: the outcomes that concern the credentials
/// or the stage's own state, told while the line is being stepped (the stage may close the line).
/// </summary>
public interface ISipLineListener
{
    /// <summary>403/404 (or a repeated non-stale 401): the registrar refused the credentials.</summary>
    void OnCredentialsRefused(SipRegistrationEvent refusal, long now);

    /// <summary>The binding's removal (Expires: 0) ended: Status 200, or 0 unanswered; already reported as sip.unregistered.</summary>
    void OnUnregistered(SipRegistrationEvent removal, long now);
}
