using System.Collections.Generic;
using PhoneFirmware.Core.Events;
using Protocol.Common;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// The foundation scenario on the simulated network with 10% loss (plus duplication, reordering
/// and delay), over a sweep of seeds: first boot prompts, takes ***1000 from the keypad,
/// registers and stores the PIN; after a power cut the phone registers with no prompt.
/// </summary>
[TestClass]
public sealed class FirstRegistrationScenarioTests
{
    private const int Seeds = 200;

    [TestMethod]
    public void FirstRegistrationThenReRegistrationWithoutPromptOverLossyNetwork()
    {
        long lost = 0;
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            using BenchElement bench = new(seed, NetworkConditions.Hostile(0.10));
            SimPhone phone = bench.AddPhone("phone-1", 0x00);
            phone.PowerUp();

            bench.RunUntil(phone, EventNames.PinPrompt);
            Assert.AreEqual("none-stored", phone.Last(EventNames.PinPrompt)!.Find("reason"), "seed " + seed);
            PhoneEvent bootFile = phone.Last(EventNames.TftpDone)!;
            byte[] digest = System.Security.Cryptography.SHA256.HashData(bench.BootImage);
            Assert.AreEqual(Ascii.ToHex(digest, 0, digest.Length), bootFile.Find("sha256"), "seed " + seed);
            Assert.AreEqual((long)bench.BootImage.Length, bootFile.Find("bytes"), "seed " + seed);

            phone.Keypad.Press("***1000\n");
            bench.RunUntil(phone, EventNames.Registered);
            Assert.AreEqual("1000", phone.Last(EventNames.Registered)!.Find("dn"), "seed " + seed);
            Assert.AreEqual("***1000", phone.StoredPin(), "seed " + seed);
            Assert.AreEqual("1000", bench.Controller.Forms.MultilineIpSets.FindDnByMac("00:08:5d:00:10:00"), "seed " + seed);

            phone.PowerCut();
            bench.Runner.RunFor(2_000);
            phone.PowerUp();
            bench.RunUntil(phone, EventNames.Registered);
            Assert.IsFalse(phone.HasEvent(EventNames.PinPrompt), "seed " + seed + ": prompted again: " + BenchElement.Trail(phone));
            Assert.AreEqual(true, phone.Last(EventNames.RegisterSent)!.Find("pin"), "seed " + seed);
            Assert.AreEqual("***1000", phone.StoredPin(), "seed " + seed);
            lost += bench.Runner.Network.DatagramsLost;
        }

        Assert.IsTrue(lost > 0, "the sweep must actually lose datagrams");
    }

    [TestMethod]
    public void SameSeedGivesTheSameRunDifferentSeedsDiffer()
    {
        List<string> first = Run(42);
        List<string> again = Run(42);
        List<string> other = Run(43);
        CollectionAssert.AreEqual(first, again);
        CollectionAssert.AreNotEqual(first, other);
    }

    [TestMethod]
    public void StarHeldAtPowerUpClearsThePinAndPrompts()
    {
        using BenchElement bench = new(7, NetworkConditions.Hostile(0.10));
        SimPhone phone = bench.AddPhone("phone-1", 0x00);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        Assert.AreEqual("***1000", phone.StoredPin());

        phone.PowerCut();
        phone.PowerUp(holdStar: true);
        bench.RunUntil(phone, EventNames.PinPrompt);
        Assert.IsTrue(phone.HasEvent(EventNames.PinCleared));
        Assert.AreEqual(false, phone.Last(EventNames.RegisterSent)!.Find("pin"));
    }

    private static List<string> Run(ulong seed)
    {
        using BenchElement bench = new(seed, NetworkConditions.Hostile(0.10));
        SimPhone phone = bench.AddPhone("phone-1", 0x00);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        List<string> trace = new(bench.Runner.Network.Trace);
        trace.Add("t=" + bench.Runner.Now);
        return trace;
    }
}
