namespace Protocol.Registration;

/// <summary>Why the server asks for a PIN (or clears it).</summary>
public enum PinRequestReason
{
    None = 0,
    NoneStored = 1,
    InvalidAccessCode = 2,
    AccessCodeMismatch = 3,
    DnInUse = 4,
    WrongPin = 5,
    LockedOut = 6,
    DnDeleted = 7,
    MacDeleted = 8,
    UnknownDn = 9,
}
