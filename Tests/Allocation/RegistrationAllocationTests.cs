using System;
using System.Collections.Generic;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using Tests.Simulation;
using Tests.Simulation.Scenarios;

namespace Tests.Allocation;

/// <summary>
/// Issue 13 item 5: what the phone core allocates to register with a stored PIN — connect,
/// Register, Registered, the first Keepalive and its answer — on the simulated network, where the
/// same seed gives the same frames every run, so the bytes are a count, not a time. Measured on the
/// simulation's thread around the core's steps only (SimPhone.RegistrationAllocatedBytes: what the
/// core's frames, events and display cost, with the simulated sockets' share); the fleet pays it per
/// phone in a registration storm.
/// </summary>
[TestClass]
public sealed class RegistrationAllocationTests
{
    private const int Phones = 20;

    // Measured 6,448 bytes (the same every run) once a link's receive buffer went from a maximal
    // frame (1,028 bytes) to 128 bytes a read and the MAC text and the link's name were built once;
    // with the maximal buffer back it is over this budget.
    private const long BytesPerRegistrationLimit = 6656;

    [TestMethod]
    public void RegisteringWithAStoredPinAllocatesAtMostTheBudgetInTheCore()
    {
        using BenchElement bench = new(17, NetworkConditions.Perfect);
        List<SimPhone> phones = new();
        for (int i = 0; i < Phones; i++)
        {
            string dn = (3000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            bench.Controller.Forms.TelephoneDirectory.Add(dn, "Allocation " + dn);
            SimPhone phone = new(bench.Runner, "phone-" + i, new byte[] { 0x00, 0x08, 0x5d, 0x17, 0x00, (byte)i });
            new PinStore(phone.Flash).Write("***" + dn); // stored, as a warm set's: no prompt
            // The step that starts the registration also takes the boot file's last window, and each
            // simulated datagram costs the sockets an allocation: at one block a window that share
            // stays one block, as when the budget was measured (the phone asks for 4).
            phone.Settings.TftpWindowSize = 1;
            phones.Add(phone);
        }

        foreach (SimPhone phone in phones)
        {
            phone.PowerUp();
        }

        Assert.IsTrue(bench.Runner.RunUntil(() => phones.TrueForAll(p => p.HasEvent(EventNames.InService)), 300_000), "not every phone went in service");
        long total = 0;
        foreach (SimPhone phone in phones)
        {
            Assert.AreEqual(1, phone.Count(EventNames.RegisterSent), phone.Name + " registered at the first attempt");
            Assert.AreEqual(0, phone.Count(EventNames.PinPrompt), phone.Name + " was not prompted: its PIN was stored");
            Assert.IsTrue(phone.RegistrationAllocatedBytes > 0, phone.Name + "'s registration was not measured");
            total += phone.RegistrationAllocatedBytes;
        }

        long perRegistration = total / Phones;
        Console.WriteLine("allocated per registration in the core: " + perRegistration + " bytes");
        Assert.IsTrue(perRegistration <= BytesPerRegistrationLimit, "a registration allocates " + perRegistration + " bytes in the core, over " + BytesPerRegistrationLimit);
    }
}
