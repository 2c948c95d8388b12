namespace Protocol.Sip;

/// <summary>The states of the non-INVITE client transaction (RFC 3261 §17.1.2.2, figure 6).</summary>
public enum SipTransactionState
{
    Trying,
    Proceeding,
    Completed,
    Terminated,
}
