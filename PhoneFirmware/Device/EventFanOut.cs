using PhoneFirmware.Core.Events;

namespace PhoneFirmware.Device;

/// <summary>Hands every event to two sinks: the debug console and the serial test port.</summary>
public sealed class EventFanOut : IPhoneEventSink
{
    private readonly IPhoneEventSink _first;
    private readonly IPhoneEventSink _second;

    public EventFanOut(IPhoneEventSink first, IPhoneEventSink second)
    {
        _first = first;
        _second = second;
    }

    public void Publish(PhoneEvent phoneEvent)
    {
        _first.Publish(phoneEvent);
        _second.Publish(phoneEvent);
    }
}
