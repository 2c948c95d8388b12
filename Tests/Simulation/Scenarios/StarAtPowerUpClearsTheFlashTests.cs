using System;
using System.Collections.Generic;
using Hal;
using Hal.Host;
using PhoneFirmware.Core;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using Tests.Portable.Support;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// '*' held at power-up clears the PIN in flash, not only in memory: the PIN record is read back
/// from the flash region after the power-up. Driven through PhoneCore's public PowerUp/Step only
/// (no network: the link stays down), so it holds whatever the core does inside.
/// </summary>
[TestClass]
public sealed class StarAtPowerUpClearsTheFlashTests
{
    [TestMethod]
    public void StarHeldAtPowerUpLeavesNoPinInTheFlash()
    {
        MemoryFlash flash = FlashHolding("***1000");
        List<PhoneEvent> events = PowerUpAndStep(flash, holdStar: true);

        Assert.IsTrue(events.Exists(e => e.Name == EventNames.PinCleared), "no pin.cleared: " + Names(events));
        Assert.IsNull(new PinStore(flash).ReadPin(), "the PIN is still in flash after a '*' power-up");

        // The next power-up, without '*', finds nothing to register with.
        List<PhoneEvent> next = PowerUpAndStep(flash, holdStar: false);
        Assert.IsFalse(next.Exists(e => e.Name == EventNames.PinCleared), "cleared again: " + Names(next));
        Assert.IsNull(new PinStore(flash).ReadPin());
    }

    [TestMethod]
    public void PowerUpWithoutStarKeepsThePinInTheFlash()
    {
        MemoryFlash flash = FlashHolding("***1000");
        List<PhoneEvent> events = PowerUpAndStep(flash, holdStar: false);

        Assert.IsFalse(events.Exists(e => e.Name == EventNames.PinCleared), "cleared without '*': " + Names(events));
        Assert.AreEqual("***1000", new PinStore(flash).ReadPin());
    }

    private static MemoryFlash FlashHolding(string pin)
    {
        MemoryFlash flash = new(PhoneFlashLayout.Size);
        new PinStore(flash).Write(pin);
        Assert.AreEqual(pin, new PinStore(flash).ReadPin());
        return flash;
    }

    private static List<PhoneEvent> PowerUpAndStep(MemoryFlash flash, bool holdStar)
    {
        QueuedKeypad keypad = new();
        keypad.HoldStar(holdStar);
        EventList events = new();
        PhoneDevices devices = new(new LinkDownNetwork(), flash, new HeadlessDisplay(2, 20), keypad, new SeededRandom(1), events);
        PhoneCore core = new(devices, new PhoneSettings());
        core.PowerUp(0);
        for (long now = 0; now <= 5_000; now += 100)
        {
            core.Step(now);
        }

        return events.All;
    }

    private static string Names(List<PhoneEvent> events)
    {
        return string.Join(",", events.ConvertAll(e => e.Name));
    }

    private sealed class EventList : IPhoneEventSink
    {
        public List<PhoneEvent> All { get; } = new();

        public void Publish(PhoneEvent phoneEvent)
        {
            All.Add(phoneEvent);
        }
    }

    // A phone with its cable out: the core waits for the link and touches nothing on the network.
    private sealed class LinkDownNetwork : INetworkInterface
    {
        public byte[] MacAddress { get; } = new byte[] { 0x00, 0x08, 0x5d, 0x00, 0x10, 0x00 };

        public bool IsLinkUp => false;

        public IDatagramSocket OpenDatagram(int localPort, bool broadcast)
        {
            throw new InvalidOperationException("link down");
        }

        public IStreamConnection Connect(uint address, int port)
        {
            throw new InvalidOperationException("link down");
        }

        public void ConfigureAddress(uint address, uint subnetMask, uint gateway, uint[] dnsServers)
        {
        }

        public bool UseVlan(int vlan)
        {
            return false;
        }
    }
}
