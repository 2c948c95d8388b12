namespace PhoneFirmware.Core.Boot;

/// <summary>The phone's boot and registration states, in the order a boot walks them.</summary>
public enum PhoneState
{
    Off,
    WaitingForLink,
    Dhcp,
    BootFiles,
    Connecting,
    WaitingForReply,
    PinPrompt,
    Registered,
    Resetting,
}
