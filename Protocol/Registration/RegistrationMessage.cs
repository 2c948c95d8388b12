namespace Protocol.Registration;

/// <summary>One frame of the registration protocol; which fields matter depends on <see cref="Type"/>.</summary>
public sealed class RegistrationMessage
{
    public RegistrationMessage(RegistrationMessageType type)
    {
        Type = type;
    }

    public RegistrationMessageType Type { get; }

    /// <summary>The phone's 6-byte MAC (Register), or null.</summary>
    public byte[]? Mac { get; set; }

    public int SetType { get; set; }

    public string FirmwareVersion { get; set; } = string.Empty;

    /// <summary>The PIN (access code + DN), or null when the phone has none stored.</summary>
    public string? Pin { get; set; }

    public PinRequestReason Reason { get; set; }

    public string Dn { get; set; } = string.Empty;

    public string DisplayName { get; set; } = string.Empty;

    public bool SavePin { get; set; }

    public string Host { get; set; } = string.Empty;

    public int Port { get; set; }

    public string Text { get; set; } = string.Empty;

    public int Row { get; set; }

    /// <summary>The key of a KeyEvent: a digit, <c>*</c> or <c>#</c>.</summary>
    public char Key { get; set; }

    public uint Sequence { get; set; }

    /// <summary>Register: the set lost its element and comes to this one as its secondary.</summary>
    public bool Failover { get; set; }

    /// <summary>Registered: the other element of the DN (the secondary, or the primary to return to), or empty.</summary>
    public string AlternateHost { get; set; } = string.Empty;

    public int AlternatePort { get; set; }

    /// <summary>Registered at a secondary: the set may go back to <see cref="AlternateHost"/> once it answers.</summary>
    public bool AllowReturn { get; set; }

    /// <summary>RdnUpdate: the DN's primary element.</summary>
    public int CeidIndex { get; set; }

    /// <summary>RdnUpdate: the DN's secondary element, or 0.</summary>
    public int SecondaryCeidIndex { get; set; }

    /// <summary>RdnUpdate: the DN was deleted.</summary>
    public bool Deleted { get; set; }

    /// <summary>PinRequest / ClearPin with reason LockedOut: seconds until the set may try again, or 0.</summary>
    public int RetrySeconds { get; set; }

    public static RegistrationMessage Register(byte[] mac, int setType, string firmwareVersion, string? pin)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.Register);
        message.Mac = mac;
        message.SetType = setType;
        message.FirmwareVersion = firmwareVersion;
        message.Pin = pin;
        return message;
    }

    public static RegistrationMessage PinRequest(PinRequestReason reason)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.PinRequest);
        message.Reason = reason;
        return message;
    }

    public static RegistrationMessage PinEntry(string pin)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.PinEntry);
        message.Pin = pin;
        return message;
    }

    public static RegistrationMessage Registered(string dn, string displayName, bool savePin)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.Registered);
        message.Dn = dn;
        message.DisplayName = displayName;
        message.SavePin = savePin;
        return message;
    }

    public static RegistrationMessage Redirect(string host, int port, bool savePin)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.Redirect);
        message.Host = host;
        message.Port = port;
        message.SavePin = savePin;
        return message;
    }

    public static RegistrationMessage ClearPin(PinRequestReason reason)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.ClearPin);
        message.Reason = reason;
        return message;
    }

    public static RegistrationMessage Reset(string text)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.Reset);
        message.Text = text;
        return message;
    }

    public static RegistrationMessage DisplayText(int row, string text)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.DisplayText);
        message.Row = row;
        message.Text = text;
        return message;
    }

    public static RegistrationMessage KeyEvent(char key)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.KeyEvent);
        message.Key = key;
        return message;
    }

    public static RegistrationMessage Keepalive(uint sequence)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.Keepalive);
        message.Sequence = sequence;
        return message;
    }

    public static RegistrationMessage KeepaliveAck(uint sequence)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.KeepaliveAck);
        message.Sequence = sequence;
        return message;
    }

    public static RegistrationMessage RdnUpdate(string dn, int ceidIndex, int secondaryCeidIndex, bool deleted)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.RdnUpdate);
        message.Dn = dn;
        message.CeidIndex = ceidIndex;
        message.SecondaryCeidIndex = secondaryCeidIndex;
        message.Deleted = deleted;
        return message;
    }

    public static RegistrationMessage Error(string text)
    {
        RegistrationMessage message = new RegistrationMessage(RegistrationMessageType.Error);
        message.Text = text;
        return message;
    }
}
