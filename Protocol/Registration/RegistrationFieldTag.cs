namespace Protocol.Registration;

/// <summary>Tags of the TLV fields in a frame body. Unknown tags are skipped, so fields can be added.</summary>
public static class RegistrationFieldTag
{
    public const int Mac = 1;
    public const int SetType = 2;
    public const int FirmwareVersion = 3;
    public const int Pin = 4;
    public const int Reason = 5;
    public const int Dn = 6;
    public const int DisplayName = 7;
    public const int SavePin = 8;
    public const int Host = 9;
    public const int Port = 10;
    public const int Text = 11;
    public const int Row = 12;
    public const int Key = 13;
    public const int Sequence = 14;

    // Version 1 additions (old receivers skip them): resiliency and the inter-element link.
    public const int Failover = 15;
    public const int AlternateHost = 16;
    public const int AlternatePort = 17;
    public const int AllowReturn = 18;
    public const int CeidIndex = 19;
    public const int SecondaryCeidIndex = 20;
    public const int Deleted = 21;

    // Seconds until a locked-out set may try again (PinRequest / ClearPin with reason LockedOut).
    public const int RetrySeconds = 22;
}
