namespace Protocol.Dhcp;

public enum DhcpClientEventKind
{
    /// <summary>An offer without a usable phone configuration was rejected; the client keeps selecting.</summary>
    OfferRejected,

    /// <summary>A lease was acknowledged; <see cref="DhcpClient.Lease"/> holds it. Detail: `discover` or `init-reboot`.</summary>
    Bound,

    /// <summary>The lease was renewed (RENEWING: REQUEST unicast to its server).</summary>
    Renewed,

    /// <summary>The lease was rebound (REBINDING: REQUEST broadcast, after T2).</summary>
    Rebound,

    /// <summary>The server refused the request; the client starts over.</summary>
    Nak,

    /// <summary>The lease ran out without renewal; the address must no longer be used.</summary>
    LeaseExpired,
}
