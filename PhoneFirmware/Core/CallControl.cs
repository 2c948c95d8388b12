namespace PhoneFirmware.Core;

/// <summary>Which call-control protocol the phone registers with.</summary>
public enum CallControl
{
    /// <summary>The bench registration protocol of our own controller.</summary>
    Bench,

    /// <summary>SIP (RFC 3261 REGISTER with digest) to any registrar.</summary>
    Sip,
}
