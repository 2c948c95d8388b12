namespace Protocol.Dhcp;

public enum DhcpLeaseState
{
    /// <summary>Held for a client between OFFER and REQUEST.</summary>
    Offered = 0,
    Bound = 1,

    /// <summary>A client declined the address (in use on the wire); held back until it expires.</summary>
    Declined = 2,
}
