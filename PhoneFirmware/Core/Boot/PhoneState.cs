namespace PhoneFirmware.Core.Boot;

/// <summary>The boot sequencer's stages, in the order a boot walks them.</summary>
public enum PhoneState
{
    Off,
    WaitingForLink,
    Dhcp,
    BootFiles,

    /// <summary>SIP mode: startup.cfg, &lt;model&gt;.cfg and &lt;MAC&gt;.cfg by TFTP (<see cref="SipConfigStage"/>).</summary>
    ConfigFiles,

    /// <summary>The registration stage runs (its own states: <c>PhoneCore.Registration</c>).</summary>
    Registration,
    Resetting,
}
