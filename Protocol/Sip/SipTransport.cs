namespace Protocol.Sip;

/// <summary>The transport a line registers over; the values are the vendor's "sip transport protocol" codes.</summary>
public enum SipTransport
{
    Udp = 1,
    Tcp = 2,
    Tls = 4,
}
