namespace Protocol.Registration;

/// <summary>Frame types of the registration protocol (docs/registration-protocol.md).</summary>
public enum RegistrationMessageType
{
    /// <summary>Phone → server: MAC, set type, firmware version, stored PIN or none.</summary>
    Register = 1,

    /// <summary>Server → phone: prompt for a PIN, with the reason.</summary>
    PinRequest = 2,

    /// <summary>Phone → server: the PIN typed on the keypad.</summary>
    PinEntry = 3,

    /// <summary>Server → phone: registered on a DN; save the PIN in flash when asked.</summary>
    Registered = 4,

    /// <summary>Server → phone: register at another element instead (save the PIN first when asked).</summary>
    Redirect = 5,

    /// <summary>Server → phone: clear the stored PIN and prompt.</summary>
    ClearPin = 6,

    /// <summary>Server → phone: hard reset.</summary>
    Reset = 7,

    /// <summary>Server → phone: text for one display row.</summary>
    DisplayText = 8,

    /// <summary>Phone → server: a key pressed while registered.</summary>
    KeyEvent = 9,

    /// <summary>Either way: are you there? Answered with <see cref="KeepaliveAck"/>.</summary>
    Keepalive = 10,

    KeepaliveAck = 11,

    /// <summary>Either way: the peer's last frame could not be handled.</summary>
    Error = 12,

    /// <summary>Element → element: a DN was added to or deleted from the sender's Telephone Directory (RDN synchronisation).</summary>
    RdnUpdate = 13,
}
