using System;
using System.Collections.Generic;
using PhoneFirmware.Core.Events;
using Tests.Simulation;
using Tests.Simulation.Scenarios;

namespace Tests.Allocation;

/// <summary>
/// Issue 13: what one registered phone core holds must fit the ESP32's managed heap with room to
/// spare (goal: at most 16 KiB). A hundred cores boot on the simulated network (DHCP, the boot
/// manifest and image by TFTP, registration) and register; the managed heap after a full GC is
/// compared with the same heap once the cores are gone (power cut: the core and the sockets it
/// opened become garbage; the simulation, the controller and each phone's recorded events stay).
/// </summary>
[TestClass]
public sealed class RegisteredCoreMemoryTests
{
    private const int Phones = 100;
    private const long HeldBytesPerCoreLimit = 16 * 1024;

    [TestMethod]
    public void ARegisteredCoreHoldsAtMostSixteenKibibytes()
    {
        using BenchElement bench = new(13, NetworkConditions.Perfect);
        List<SimPhone> phones = new();
        for (int i = 0; i < Phones; i++)
        {
            string dn = (2000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            bench.Controller.Forms.TelephoneDirectory.Add(dn, "Memory " + dn);
            SimPhone phone = new(bench.Runner, "phone-" + i, new byte[] { 0x00, 0x08, 0x5d, 0x13, (byte)(i >> 8), (byte)i });
            phone.Settings.PresetPin = "***" + dn;
            phones.Add(phone);
        }

        foreach (SimPhone phone in phones)
        {
            phone.PowerUp();
        }

        Assert.IsTrue(bench.Runner.RunUntil(() => phones.TrueForAll(p => p.HasEvent(EventNames.Registered)), 300_000), "not every phone registered");
        Assert.IsTrue(phones.TrueForAll(p => p.HasEvent(EventNames.TftpDone)), "every phone fetched its boot files");

        long registered = GC.GetTotalMemory(forceFullCollection: true);
        foreach (SimPhone phone in phones)
        {
            phone.PowerCut();
        }

        long gone = GC.GetTotalMemory(forceFullCollection: true);
        long perCore = (registered - gone) / Phones;
        Console.WriteLine("held per registered core: " + perCore + " bytes");
        Assert.IsTrue(perCore > 0, "the cores were not measured (" + perCore + " bytes)");
        Assert.IsTrue(perCore <= HeldBytesPerCoreLimit, "a registered core holds " + perCore + " bytes, over " + HeldBytesPerCoreLimit);
        GC.KeepAlive(bench);
    }
}
