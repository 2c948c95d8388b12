namespace PhoneFirmware.Core.Boot;

/// <summary>Where the phone's look-up of one server name is.</summary>
public enum HostLookupState
{
    Idle,
    Resolving,
    Resolved,
    Failed,
}
