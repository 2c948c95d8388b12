namespace Tests.Interop.Sip;

/// <summary>
/// One frame <see cref="SipWire"/> captured on the SIP ports: when (seconds from the first),
/// from and to which address, whether it is a TCP FIN, the SIP first lines it carries (none for
/// a bare TCP segment) and the Expires header of a request.
/// </summary>
public sealed record SipWireFrame(int Number, double Seconds, string Source, string Destination, bool Fin, string[] FirstLines, string Expires);
