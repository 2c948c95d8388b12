namespace Controller.Tftp;

/// <summary>Where one client transfer ID's transfer is, as the request listener sees it.</summary>
public enum TftpClientTicketState
{
    /// <summary>Past the concurrency cap, waiting unanswered in the admission queue: a repeat of the request is absorbed, and the transfer starts when a slot frees.</summary>
    Queued,

    /// <summary>The transfer runs: a request from the client is a retransmission, absorbed (the transfer answers it).</summary>
    Live,

    /// <summary>The transfer is over (final ACK received, failure or stop): a request starts a new transfer at once.</summary>
    Ended,
}

/// <summary>
/// One client address and port's transfer, shared by the request listener and the transfer's
/// thread. The server counts repeats and enters Ended under its lock, so a request can never fall
/// between a transfer ending and the next one starting.
/// </summary>
public sealed class TftpClientTicket
{
    private int _state = (int)TftpClientTicketState.Live; // admission sets Queued before anyone else sees the ticket
    private int _repeatedRequests;
    private long _lastRequestAt;

    public TftpClientTicketState State => (TftpClientTicketState)System.Threading.Volatile.Read(ref _state);

    /// <summary>Retransmitted requests the listener absorbed; the transfer answers each.</summary>
    public int RepeatedRequests => System.Threading.Volatile.Read(ref _repeatedRequests);

    /// <summary>When (the server's clock, ms) the client last sent its request: a queued request whose client still asks is worth starting.</summary>
    public long LastRequestAt => System.Threading.Volatile.Read(ref _lastRequestAt);

    /// <summary>The client's first request, at <paramref name="now"/>.</summary>
    public void Requested(long now)
    {
        System.Threading.Volatile.Write(ref _lastRequestAt, now);
    }

    public void Enter(TftpClientTicketState state)
    {
        System.Threading.Volatile.Write(ref _state, (int)state);
    }

    public void CountRepeat(long now)
    {
        System.Threading.Volatile.Write(ref _lastRequestAt, now);
        System.Threading.Interlocked.Increment(ref _repeatedRequests);
    }
}
