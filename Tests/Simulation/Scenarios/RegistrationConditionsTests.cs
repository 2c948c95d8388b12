using PhoneFirmware.Core.Events;
using Protocol.Registration;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// Every condition of the seed document and the facts file, each as a scenario on a two-element
/// simulated cluster with loss, duplication and reordering, over several seeds.
/// </summary>
[TestClass]
public sealed class RegistrationConditionsTests
{
    private const int Seeds = 10;

    private static NetworkConditions Lossy => NetworkConditions.Hostile(0.05);

    [TestMethod]
    public void RemoteDnIsRedirectedToItsHomeAndReRegistersThereWithoutPrompt()
    {
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            using ClusterBench cluster = new(seed, Lossy);
            SimPhone phone = cluster.AddPhone("phone", 1);
            phone.PowerUp();
            cluster.RunUntil(phone, EventNames.PinPrompt);
            phone.Keypad.Press("***2000\n");
            cluster.RunUntilRegisteredAt(phone, cluster.B);
            Assert.AreEqual("10.77.0.2:6800", phone.Last(EventNames.Redirect)!.Find("target"), "seed " + seed);
            Assert.AreEqual("***2000", phone.StoredPin(), "seed " + seed);
            Assert.AreEqual("2000", cluster.B.Forms.MultilineIpSets.FindDnByMac(ClusterBench.Mac(1)));

            phone.PowerCut();
            phone.PowerUp();
            cluster.RunUntilRegisteredAt(phone, cluster.B);
            Assert.IsFalse(phone.HasEvent(EventNames.PinPrompt), "seed " + seed + ": " + BenchElement.Trail(phone));
            Assert.IsTrue(phone.HasEvent(EventNames.Redirect), "seed " + seed);
        }
    }

    [TestMethod]
    public void PinOfADnBoundToAnotherSetClearsThePinAndPrompts()
    {
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            using ClusterBench cluster = new(seed, Lossy);
            SimPhone first = cluster.AddPhone("first", 1);
            first.Settings.PresetPin = "***1000";
            first.PowerUp();
            cluster.RunUntilRegisteredAt(first, cluster.A);

            SimPhone second = cluster.AddPhone("second", 2);
            second.Settings.PresetPin = "***1000";
            second.PowerUp();
            cluster.RunUntil(second, EventNames.PinCleared);
            cluster.RunUntil(second, EventNames.PinPrompt);
            Assert.AreEqual("dn-in-use", second.Last(EventNames.PinPrompt)!.Find("reason"), "seed " + seed);
            Assert.IsNull(second.StoredPin());
            Assert.AreEqual(ClusterBench.Mac(1), cluster.A.Forms.MultilineIpSets.FindMacByDn("1000"));
        }
    }

    [TestMethod]
    public void InvalidAccessCodePromptsAgain()
    {
        using ClusterBench cluster = new(3, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.PinPrompt);
        phone.EventsThisBoot.Clear();
        phone.Keypad.Press("*0*1000\n");
        cluster.RunUntil(phone, EventNames.PinPrompt);
        Assert.AreEqual("invalid-access-code", phone.Last(EventNames.PinPrompt)!.Find("reason"));
        phone.Keypad.Press("***1000\n");
        cluster.RunUntilRegisteredAt(phone, cluster.A);
        Assert.AreEqual("***1000", phone.StoredPin());
    }

    [TestMethod]
    public void StoredPinWithAnotherAccessCodeThanTheSystemsPrompts()
    {
        using ClusterBench cluster = new(4, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        cluster.RunUntilRegisteredAt(phone, cluster.A);

        cluster.A.Forms.SystemOptions.RegistrationAccessCode = "*7*";
        phone.PowerCut();
        phone.Settings.PresetPin = null;
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.PinPrompt);
        Assert.AreEqual("access-code-mismatch", phone.Last(EventNames.PinPrompt)!.Find("reason"));
        phone.Keypad.Press("*7*1000\n");
        cluster.RunUntilRegisteredAt(phone, cluster.A);
        Assert.AreEqual("*7*1000", phone.StoredPin());
    }

    [TestMethod]
    public void DeletingTheDnWhileConnectedResetsTheSetWhichThenPrompts()
    {
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            using ClusterBench cluster = new(seed, Lossy);
            SimPhone phone = cluster.AddPhone("phone", 1);
            phone.Settings.PresetPin = "***1000";
            phone.PowerUp();
            cluster.RunUntilRegisteredAt(phone, cluster.A);

            Assert.IsTrue(cluster.A.Forms.TelephoneDirectory.Delete("1000"));
            cluster.A.Recheck();
            cluster.RunUntil(phone, EventNames.Reset);
            Assert.AreEqual("dn-deleted", phone.Last(EventNames.PinCleared)!.Find("reason"), "seed " + seed);
            Assert.IsNull(phone.StoredPin(), "seed " + seed);
            phone.EventsThisBoot.Clear();
            cluster.RunUntil(phone, EventNames.PinPrompt);
            Assert.AreEqual("none-stored", phone.Last(EventNames.PinPrompt)!.Find("reason"), "seed " + seed);
        }
    }

    [TestMethod]
    public void DeletingTheSetFromMultilineIpSetsResetsAndPrompts()
    {
        using ClusterBench cluster = new(6, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        cluster.RunUntilRegisteredAt(phone, cluster.A);

        Assert.IsTrue(cluster.A.Forms.MultilineIpSets.DeleteByMac(ClusterBench.Mac(1)));
        cluster.A.Recheck();
        cluster.RunUntil(phone, EventNames.Reset);
        Assert.AreEqual("mac-deleted", phone.Last(EventNames.PinCleared)!.Find("reason"));
        Assert.IsNotNull(cluster.A.Forms.TelephoneDirectory.Find("1000"), "the DN itself stays");
        phone.EventsThisBoot.Clear();
        cluster.RunUntil(phone, EventNames.PinPrompt);
    }

    [TestMethod]
    public void ReplacementAccessCodeMovesTheDnToANewSet()
    {
        using ClusterBench cluster = new(7, Lossy);
        SimPhone broken = cluster.AddPhone("broken", 1);
        broken.Settings.PresetPin = "***1000";
        broken.PowerUp();
        cluster.RunUntilRegisteredAt(broken, cluster.A);
        broken.PowerCut();

        SimPhone replacement = cluster.AddPhone("replacement", 2);
        replacement.Settings.PresetPin = "###1000";
        replacement.PowerUp();
        cluster.RunUntilRegisteredAt(replacement, cluster.A);
        Assert.AreEqual("1000", replacement.Last(EventNames.Registered)!.Find("dn"));
        Assert.AreEqual(ClusterBench.Mac(2), cluster.A.Forms.MultilineIpSets.FindMacByDn("1000"));
        Assert.IsNull(cluster.A.Forms.MultilineIpSets.FindDnByMac(ClusterBench.Mac(1)));

        SimPhone stranger = cluster.AddPhone("stranger", 3);
        stranger.PowerUp();
        cluster.RunUntil(stranger, EventNames.PinPrompt);
        stranger.EventsThisBoot.Clear();
        stranger.Keypad.Press("###1001\n");
        cluster.RunUntil(stranger, EventNames.PinPrompt);
        Assert.AreEqual("invalid-access-code", stranger.Last(EventNames.PinPrompt)!.Find("reason"), "replacement needs an existing set on the DN");
    }

    [TestMethod]
    public void RepeatedWrongPinsLockTheSetOutForAWhile()
    {
        using ClusterBench cluster = new(8, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.PinPrompt);
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            phone.EventsThisBoot.Clear();
            phone.Keypad.Press("***9999\n");
            cluster.RunUntil(phone, EventNames.PinPrompt);
        }

        Assert.AreEqual("locked-out", phone.Last(EventNames.PinPrompt)!.Find("reason"));
        phone.EventsThisBoot.Clear();
        phone.Keypad.Press("***1000\n");
        cluster.RunUntil(phone, EventNames.PinPrompt);
        Assert.AreEqual("locked-out", phone.Last(EventNames.PinPrompt)!.Find("reason"), "even the right PIN waits out the lock-out");

        cluster.Runner.RunFor(cluster.A.Policy.LockoutMilliseconds);
        phone.Keypad.Press("***1000\n");
        cluster.RunUntilRegisteredAt(phone, cluster.A);
    }

    [TestMethod]
    public void AutomaticDnSelectionHuntsForFreeDnsAndSkipsTakenOnes()
    {
        using ClusterBench cluster = new(9, Lossy);
        cluster.A.Forms.SystemOptions.AutomaticDnRange = "3000-3009";
        cluster.A.Forms.TelephoneDirectory.Add("3000", "Local only");
        for (byte n = 1; n <= 2; n++)
        {
            SimPhone phone = cluster.AddPhone("userless-" + n, n);
            phone.Settings.PresetPin = "***";
            phone.PowerUp();
            cluster.RunUntilRegisteredAt(phone, cluster.A);
            Assert.AreEqual(n == 1 ? "3001" : "3002", phone.Last(EventNames.Registered)!.Find("dn"));
            Assert.AreEqual("IP Device Only", cluster.A.Forms.TelephoneDirectory.Find(n == 1 ? "3001" : "3002"));
        }
    }

    [TestMethod]
    public void ADeviceWithoutPinMemoryNeedsAReservation()
    {
        using ClusterBench cluster = new(10, Lossy);
        SimPhone console = cluster.AddPhone("console", 1);
        console.Settings.SetType = 5540;
        console.Settings.HasPinMemory = false;
        console.Settings.PresetPin = "***1001";
        console.PowerUp();
        cluster.RunUntil(console, EventNames.CallServerUnreachable);
        StringAssert.Contains((string)console.Last(EventNames.CallServerUnreachable)!.Find("reason")!, "reserve MAC");
        Assert.IsFalse(console.HasEvent(EventNames.PinPrompt), "no PIN memory: never prompted");

        cluster.A.Forms.MultilineIpSets.Reserve(ClusterBench.Mac(1), "1001", pinMemory: false);
        cluster.RunUntilRegisteredAt(console, cluster.A);
        Assert.AreEqual("1001", console.Last(EventNames.Registered)!.Find("dn"));
        Assert.IsNull(console.StoredPin());
    }

    [TestMethod]
    public void SetFailsOverToTheSecondaryAndReturnsWhenThePrimaryIsBack()
    {
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            using ClusterBench cluster = new(seed, Lossy);
            cluster.A.Forms.ClusterDirectory.AddRemoteDirectoryNumber("1000", 1, 2);
            cluster.B.Forms.ClusterDirectory.AddRemoteDirectoryNumber("1000", 1, 2);
            SimPhone phone = cluster.AddPhone("phone", 1);
            phone.Settings.PresetPin = "***1000";
            phone.PowerUp();
            cluster.RunUntilRegisteredAt(phone, cluster.A);

            cluster.A.Crash(cluster.Runner);
            cluster.RunUntil(phone, EventNames.Failover);
            cluster.RunUntilRegisteredAt(phone, cluster.B);
            Assert.AreEqual(1, phone.Count(EventNames.PinPrompt), "seed " + seed + ": only the first registration prompts: " + BenchElement.Trail(phone));

            cluster.A.Restart(cluster.Runner);
            cluster.RunUntil(phone, EventNames.ReturnToPrimary);
            cluster.RunUntilRegisteredAt(phone, cluster.A);
            Assert.AreEqual("***1000", phone.StoredPin(), "seed " + seed);
        }
    }

    [TestMethod]
    public void ADnAddedOnOneElementIsFoundFromTheOther()
    {
        using ClusterBench cluster = new(12, Lossy);
        cluster.B.Forms.TelephoneDirectory.Add("2500", "New on B");
        cluster.B.SendToElement(ClusterBench.AddressA, RegistrationMessage.RdnUpdate("2500", 2, 0, false));
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***2500";
        phone.PowerUp();
        cluster.RunUntilRegisteredAt(phone, cluster.B);
        Assert.AreEqual((2, (int?)null), cluster.A.Forms.ClusterDirectory.RemoteHomes("2500"));

        cluster.B.SendToElement(ClusterBench.AddressA, RegistrationMessage.RdnUpdate("2500", 2, 0, true));
        cluster.Runner.RunFor(1_000);
        Assert.IsNull(cluster.A.Forms.ClusterDirectory.RemoteHomes("2500"));
    }
}
