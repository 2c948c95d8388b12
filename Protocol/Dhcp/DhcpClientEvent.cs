namespace Protocol.Dhcp;

/// <summary>Something the phone must react to; polled from <see cref="DhcpClient.PollEvent"/>.</summary>
public sealed class DhcpClientEvent
{
    public DhcpClientEvent(DhcpClientEventKind kind, int offerNumber, string detail)
    {
        Kind = kind;
        OfferNumber = offerNumber;
        Detail = detail;
    }

    public DhcpClientEventKind Kind { get; }

    /// <summary>For <see cref="DhcpClientEventKind.OfferRejected"/>: 1 for the first offer of this exchange, and so on.</summary>
    public int OfferNumber { get; }

    /// <summary>Why (an offer rejected, a NAK's message), how a lease was bound (`discover`, `init-reboot`), or empty.</summary>
    public string Detail { get; }
}
