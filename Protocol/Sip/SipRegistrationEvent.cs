namespace Protocol.Sip;

/// <summary>One thing the registration machine reports to the phone.</summary>
public sealed class SipRegistrationEvent
{
    public SipRegistrationEvent(SipRegistrationEventKind kind, int statusCode, int seconds, string text)
    {
        Kind = kind;
        StatusCode = statusCode;
        Seconds = seconds;
        Text = text;
    }

    public SipRegistrationEventKind Kind { get; }

    public int StatusCode { get; }

    public int Seconds { get; }

    public string Text { get; }

    /// <summary>BackingOff: the wait itself (<see cref="Seconds"/> rounds it up to a whole second).</summary>
    public long Milliseconds { get; set; }

    public override string ToString()
    {
        return Kind.ToString() + " " + StatusCode.ToString() + " " + Seconds.ToString() + " " + Text;
    }
}
