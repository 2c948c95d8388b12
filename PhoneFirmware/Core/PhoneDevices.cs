using Hal;
using PhoneFirmware.Core.Events;
using Protocol.Common;

namespace PhoneFirmware.Core;

/// <summary>The drivers one phone runs on, handed to the core by its entry point (device, host or simulation).</summary>
public sealed class PhoneDevices
{
    public PhoneDevices(INetworkInterface network, IFlashRegion flash, IDisplay display, IKeypad keypad, IRandomSource random, IPhoneEventSink events)
    {
        Network = network;
        Flash = flash;
        Display = display;
        Keypad = keypad;
        Random = random;
        Events = events;
    }

    public INetworkInterface Network { get; }

    public IFlashRegion Flash { get; }

    public IDisplay Display { get; }

    public IKeypad Keypad { get; }

    public IRandomSource Random { get; }

    public IPhoneEventSink Events { get; }
}
