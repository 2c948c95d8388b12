using Hal;
using PhoneFirmware.Core.Events;
using Protocol.Common;

namespace PhoneFirmware.Core;

/// <summary>The drivers one phone runs on, handed to the core by its entry point (device, host or simulation).</summary>
public sealed class PhoneDevices
{
    public PhoneDevices(INetworkInterface network, IFlashRegion flash, IDisplay display, IKeypad keypad, IRandomSource random, IPhoneEventSink events)
        : this(network, flash, display, keypad, random, events, null)
    {
    }

    public PhoneDevices(INetworkInterface network, IFlashRegion flash, IDisplay display, IKeypad keypad, IRandomSource random, IPhoneEventSink events, IFlashRegion? imageFlash)
    {
        ImageFlash = imageFlash;
        Network = network;
        Flash = flash;
        Display = display;
        Keypad = keypad;
        Random = random;
        Events = events;
    }

    public INetworkInterface Network { get; }

    /// <summary>The PIN, installed-image and lease-address records (<c>Storage.PhoneFlashLayout</c>).</summary>
    public IFlashRegion Flash { get; }

    /// <summary>
    /// Where the boot image is written, in two halves: a new image goes to the half the
    /// installed one does not use. Null: the phone keeps no image (fetches and verifies only).
    /// </summary>
    public IFlashRegion? ImageFlash { get; }

    public IDisplay Display { get; }

    public IKeypad Keypad { get; }

    public IRandomSource Random { get; }

    public IPhoneEventSink Events { get; }
}
