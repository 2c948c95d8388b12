namespace Protocol.Sip;

/// <summary>
/// The non-INVITE client transaction (RFC 3261 §17.1.2), sans-IO. Over UDP the request is
/// retransmitted on timer E (T1, doubling to T2; T2 once a provisional arrived) until a final
/// response or timer F (64*T1); Completed absorbs response retransmissions for timer K (T4).
/// Over a reliable transport timer E never runs and K is zero.
/// </summary>
public sealed class SipClientTransaction
{
    private readonly byte[] _request;
    private readonly bool _reliable;
    private readonly SipTimers _timers;
    private long _retransmitAt;
    private long _retransmitInterval;
    private long _timeoutAt;
    private long _terminateAt;
    private bool _sendPending;

    public SipClientTransaction(byte[] request, string branch, bool reliable, SipTimers timers, long now)
    {
        _request = request;
        Branch = branch;
        _reliable = reliable;
        _timers = timers;
        Enter(SipTransactionState.Trying, now);
    }

    public string Branch { get; }

    public SipTransactionState State { get; private set; }

    /// <summary>Timer F fired before a final response: the transaction timed out.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>The request's transmissions so far (the first included).</summary>
    public int Transmissions { get; private set; }

    public long NextDeadline
    {
        get
        {
            if (_sendPending)
            {
                return long.MinValue;
            }

            switch (State)
            {
                case SipTransactionState.Trying:
                case SipTransactionState.Proceeding:
                    return _retransmitAt < _timeoutAt ? _retransmitAt : _timeoutAt;
                case SipTransactionState.Completed:
                    return _terminateAt;
                default:
                    return Common.Deadline.None;
            }
        }
    }

    /// <summary>The request to (re)send now, or null; fires timers E, F and K that are due.</summary>
    public byte[]? Poll(long now)
    {
        if (_sendPending)
        {
            _sendPending = false;
            Transmissions++;
            return _request;
        }

        if (State == SipTransactionState.Trying || State == SipTransactionState.Proceeding)
        {
            if (now >= _timeoutAt)
            {
                TimedOut = true;
                Enter(SipTransactionState.Terminated, now);
                return null;
            }

            if (now >= _retransmitAt)
            {
                _retransmitInterval = State == SipTransactionState.Proceeding ? _timers.T2Ms : Smaller(_retransmitInterval * 2, _timers.T2Ms);
                _retransmitAt = now + _retransmitInterval;
                Transmissions++;
                return _request;
            }
        }
        else if (State == SipTransactionState.Completed && now >= _terminateAt)
        {
            Enter(SipTransactionState.Terminated, now);
        }

        return null;
    }

    /// <summary>
    /// A response whose branch matched. True when the transaction user should see it: a
    /// provisional while waiting, or the first final response; retransmissions return false.
    /// </summary>
    public bool OnResponse(int statusCode, long now)
    {
        if (State != SipTransactionState.Trying && State != SipTransactionState.Proceeding)
        {
            return false;
        }

        if (statusCode < 200)
        {
            if (State == SipTransactionState.Trying)
            {
                Enter(SipTransactionState.Proceeding, now);
            }

            return true;
        }

        Enter(SipTransactionState.Completed, now);
        return true;
    }

    /// <summary>The connection broke or the datagram could not be sent (§17.1.4): the transaction ends.</summary>
    public void OnTransportError(long now)
    {
        if (State == SipTransactionState.Trying || State == SipTransactionState.Proceeding)
        {
            TimedOut = true;
            Enter(SipTransactionState.Terminated, now);
        }
    }

    private static long Smaller(long a, long b)
    {
        return a < b ? a : b;
    }

    private void Enter(SipTransactionState next, long now)
    {
        State = next;
        switch (next)
        {
            case SipTransactionState.Trying:
                _sendPending = true;
                _timeoutAt = now + _timers.TimeoutMs;
                _retransmitInterval = _timers.T1Ms;
                _retransmitAt = _reliable ? Common.Deadline.None : now + _timers.T1Ms;
                break;
            case SipTransactionState.Proceeding:
                if (!_reliable)
                {
                    _retransmitInterval = _timers.T2Ms;
                    if (_retransmitAt > now + _timers.T2Ms)
                    {
                        _retransmitAt = now + _timers.T2Ms;
                    }
                }

                break;
            case SipTransactionState.Completed:
                _terminateAt = now + (_reliable ? 0 : _timers.T4Ms);
                break;
            default:
                _sendPending = false;
                break;
        }
    }
}
