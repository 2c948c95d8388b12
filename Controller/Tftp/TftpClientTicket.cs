using Protocol.Tftp;

namespace Controller.Tftp;

/// <summary>Where one client transfer ID's transfer is, as the request listener sees it.</summary>
public enum TftpClientTicketState
{
    /// <summary>Our first answer is not acknowledged yet: a request from the client is its retransmission, absorbed.</summary>
    Live,

    /// <summary>The client has acknowledged our answer, so it no longer repeats its request: a request now is a new one, held until this transfer ends.</summary>
    Acknowledged,

    /// <summary>The transfer is over (final ACK, failure or stop): a request starts a new transfer at once.</summary>
    Ended,
}

/// <summary>
/// One client address and port's transfer, shared by the request listener and the transfer's
/// thread. The transfer enters Acknowledged; the server enters Ended, and holds or absorbs
/// requests, under its lock, so a request can never fall between a transfer ending and the next
/// one starting.
/// </summary>
public sealed class TftpClientTicket
{
    private int _state = (int)TftpClientTicketState.Live;
    private int _repeatedRequests;

    public TftpClientTicketState State => (TftpClientTicketState)System.Threading.Volatile.Read(ref _state);

    /// <summary>Retransmitted requests the listener absorbed; the transfer answers each.</summary>
    public int RepeatedRequests => System.Threading.Volatile.Read(ref _repeatedRequests);

    /// <summary>A new request that came while the client's last block or ACK was in flight; started when this transfer ends.</summary>
    public TftpPacket? HeldRequest { get; private set; }

    public void Enter(TftpClientTicketState state)
    {
        System.Threading.Volatile.Write(ref _state, (int)state);
    }

    public void CountRepeat()
    {
        System.Threading.Interlocked.Increment(ref _repeatedRequests);
    }

    public void Hold(TftpPacket request)
    {
        HeldRequest = request;
    }
}
