namespace PhoneFirmware.Core.Boot;

/// <summary>Where <see cref="SipConfigStage"/> is in fetching the SIP configuration files.</summary>
public enum SipConfigStep
{
    /// <summary>Not started, or stopped.</summary>
    Idle,

    /// <summary>Fetching the current file by TFTP.</summary>
    Fetching,

    /// <summary>Every file fetched or found missing; <see cref="SipConfigStage.Files"/> holds them merged.</summary>
    Completed,
}
