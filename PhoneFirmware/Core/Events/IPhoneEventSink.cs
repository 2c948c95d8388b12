namespace PhoneFirmware.Core.Events;

/// <summary>Where the core reports its events (JSON lines on the host, the serial test port on a board).</summary>
public interface IPhoneEventSink
{
    void Publish(PhoneEvent phoneEvent);
}
