namespace PhoneFirmware.Core.Registration.Sip;

/// <summary>Where <see cref="SipLink"/> is: a UDP socket is always Open; a stream goes Connecting → Open.</summary>
public enum SipLinkState
{
    /// <summary>No socket.</summary>
    Closed,

    /// <summary>A TCP (or TLS) connection to the target is being set up; bytes wait for it.</summary>
    Connecting,

    /// <summary>Bytes go out as soon as they are handed over.</summary>
    Open,
}
