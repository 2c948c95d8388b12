using System.Collections.Generic;
using Hal.Host;
using PhoneFirmware.Core;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using Tests.Portable.Support;

namespace Tests.Simulation;

/// <summary>
/// The portable phone core on a simulated host, with flash that outlives power cycles. Events
/// are recorded per boot and in total for the scenario's assertions.
/// </summary>
public sealed class SimPhone : ISimActor, IPhoneEventSink
{
    private readonly SimRunner _runner;
    private PhoneCore? _core;
    private bool _inService;

    public SimPhone(SimRunner runner, string name, byte[] mac)
    {
        _runner = runner;
        Name = name;
        Host = runner.Network.AddHost(name, mac, 0);
        Flash = new MemoryFlash(PhoneFlashLayout.Size);
        ImageFlash = new MemoryFlash(2 * ImagePartitionSize);
    }

    public string Name { get; }

    public SimHost Host { get; }

    public const int ImagePartitionSize = 64 * 1024;

    public MemoryFlash Flash { get; }

    /// <summary>The image flash (two halves of <see cref="ImagePartitionSize"/>), kept across power cycles like <see cref="Flash"/>.</summary>
    public MemoryFlash ImageFlash { get; }

    public QueuedKeypad Keypad { get; private set; } = new();

    public HeadlessDisplay Display { get; private set; } = new(2, 20);

    /// <summary>Applied at each power-up; tests set the PIN a script would type, timeouts, files.</summary>
    public PhoneSettings Settings { get; set; } = new();

    public PhoneCore Core => _core!;

    public List<PhoneEvent> Events { get; } = new();

    public List<PhoneEvent> EventsThisBoot { get; } = new();

    public int Boots { get; private set; }

    /// <summary>
    /// Bytes allocated on the simulation's thread in the core's steps that ran its registration (in
    /// state Registration before or after the step), until the step that put it in service.
    /// </summary>
    public long RegistrationAllocatedBytes { get; private set; }

    public void Publish(PhoneEvent phoneEvent)
    {
        _inService |= phoneEvent.Name == EventNames.InService;
        Events.Add(phoneEvent);
        EventsThisBoot.Add(phoneEvent);
    }

    public void PowerUp(bool holdStar = false)
    {
        Keypad = new QueuedKeypad();
        Keypad.HoldStar(holdStar);
        Display = new HeadlessDisplay(2, 20);
        EventsThisBoot.Clear();
        Host.Reset();
        PhoneDevices devices = new(Host, Flash, Display, Keypad, _runner.Random.Fork(), this, ImageFlash);
        _core = new PhoneCore(devices, Settings);
        _inService = false;
        RegistrationAllocatedBytes = 0;
        Boots++;
        _runner.Add(this);
        try
        {
            _core.PowerUp(_runner.Now);
        }
        catch (System.InvalidOperationException e) when (e.Message == "power cut")
        {
            // Power lost while the '*'-held PIN clear was being written.
            PowerCutsDuringFlashWrite++;
            PowerCut();
        }
    }

    /// <summary>Power gone at once: no release, no goodbye; open connections are abandoned.</summary>
    public void PowerCut()
    {
        _runner.Remove(this);
        Host.Reset();
        _core = null;
    }

    /// <summary>Power cuts seen in the middle of a flash write (armed with <see cref="MemoryFlash.CutPowerAfter"/>).</summary>
    public int PowerCutsDuringFlashWrite { get; private set; }

    public bool IsPowered => _core != null;

    public long Step(long now)
    {
        if (_core == null)
        {
            return Protocol.Common.Deadline.None;
        }

        try
        {
            bool wasInService = _inService;
            bool wasRegistering = _core.State == PhoneState.Registration;
            long before = System.GC.GetAllocatedBytesForCurrentThread();
            long deadline = _core.Step(now);
            if (!wasInService && (wasRegistering || _core.State == PhoneState.Registration))
            {
                RegistrationAllocatedBytes += System.GC.GetAllocatedBytesForCurrentThread() - before;
            }

            return deadline;
        }
        catch (System.InvalidOperationException e) when (e.Message == "power cut")
        {
            // The flash lost power mid-write: the whole phone did.
            PowerCutsDuringFlashWrite++;
            PowerCut();
            return Protocol.Common.Deadline.None;
        }
    }

    public bool HasEvent(string name)
    {
        return Count(name) > 0;
    }

    public int Count(string name)
    {
        int count = 0;
        foreach (PhoneEvent e in EventsThisBoot)
        {
            if (e.Name == name)
            {
                count++;
            }
        }

        return count;
    }

    public PhoneEvent? Last(string name)
    {
        for (int i = EventsThisBoot.Count - 1; i >= 0; i--)
        {
            if (EventsThisBoot[i].Name == name)
            {
                return EventsThisBoot[i];
            }
        }

        return null;
    }

    public string? StoredPin()
    {
        return new PinStore(Flash).ReadPin();
    }
}
