namespace PhoneFirmware.Core.Registration.Sip;

/// <summary>The SIP registration stage's own states; while Running the line's <c>SipRegistrationState</c> says more.</summary>
public enum SipStageState
{
    /// <summary>Not started, stopped, or no registrar to go to.</summary>
    Idle,

    /// <summary>'*' at power-up: the stored binding's removal (Expires: 0) is in flight.</summary>
    RemovingBinding,

    /// <summary>The keypad is read for the line's number.</summary>
    PromptingNumber,

    /// <summary>The keypad is read for the line's password (the PIN).</summary>
    PromptingPassword,

    /// <summary>The line registers, is registered or backs off (<see cref="Protocol.Sip.SipRegistration"/>).</summary>
    Running,

    /// <summary>A clean leave (<see cref="SipRegistrationStage.Unregister"/>): the binding's removal is in flight; the credentials stay.</summary>
    Unregistering,
}
