namespace Protocol.Sip;

/// <summary>
/// The transaction timer base values (RFC 3261 §17.1.2.2, table 4). T1 and T2 can be lowered for
/// tests; every other timer is derived from them as the RFC says.
/// </summary>
public sealed class SipTimers
{
    public SipTimers(long t1Ms, long t2Ms, long t4Ms)
    {
        if (t1Ms <= 0 || t2Ms < t1Ms || t4Ms < 0)
        {
            throw new System.ArgumentException("SIP timers need 0 < T1 <= T2 and T4 >= 0");
        }

        T1Ms = t1Ms;
        T2Ms = t2Ms;
        T4Ms = t4Ms;
    }

    /// <summary>RTT estimate, 500 ms by default.</summary>
    public long T1Ms { get; }

    /// <summary>The longest retransmit interval for non-INVITE requests, 4 s by default.</summary>
    public long T2Ms { get; }

    /// <summary>How long a message may stay in the network, 5 s by default (timer K on UDP).</summary>
    public long T4Ms { get; }

    /// <summary>Timer F: the transaction gives up after 64*T1.</summary>
    public long TimeoutMs => 64 * T1Ms;

    public static SipTimers Default()
    {
        return new SipTimers(500, 4000, 5000);
    }
}
