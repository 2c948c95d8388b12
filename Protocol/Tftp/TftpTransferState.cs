namespace Protocol.Tftp;

public enum TftpTransferState
{
    /// <summary>Request (or OACK) sent, waiting for the peer.</summary>
    Negotiating,
    Transferring,
    Completed,
    Failed,
}
