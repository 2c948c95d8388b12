using Controller.Registration;
using Hal;
using PhoneFirmware.Core.Events;
using Protocol.Registration;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// The controller's registration decisions of issue 11 end to end on the simulated two-element
/// cluster (A is the DHCP element): the MAC first, a displaced set losing its registration, a
/// device without PIN memory homed on B, and a DN taken by Automatic DN Selection reaching the
/// other element. The simulation runs the same <c>RegistrationHub</c> as `controller serve`.
/// </summary>
[TestClass]
public sealed class ControllerDecisionScenarioTests
{
    private static NetworkConditions Lossy => NetworkConditions.Hostile(0.05);

    [TestMethod]
    public void AMacProgrammedInMultilineIpSetsRegistersWithoutAPrompt()
    {
        using ClusterBench cluster = new(21, Lossy);
        cluster.A.Forms.MultilineIpSets.Reserve(ClusterBench.Mac(1), "1001", pinMemory: true);
        SimPhone phone = cluster.AddPhone("programmed", 1);
        phone.PowerUp();
        cluster.RunUntilRegisteredAt(phone, cluster.A);
        Assert.AreEqual("1001", phone.Last(EventNames.Registered)!.Find("dn"));
        Assert.IsFalse(phone.HasEvent(EventNames.PinPrompt), BenchElement.Trail(phone));
    }

    [TestMethod]
    public void AReplacementDisplacesTheSetStillRegisteredOnTheDn()
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            using ClusterBench cluster = new(seed, Lossy);
            SimPhone old = cluster.AddPhone("old", 1);
            old.Settings.PresetPin = "***1000";
            old.PowerUp();
            cluster.RunUntilRegisteredAt(old, cluster.A);

            SimPhone replacement = cluster.AddPhone("replacement", 2);
            replacement.Settings.PresetPin = "###1000";
            replacement.PowerUp();
            cluster.RunUntilRegisteredAt(replacement, cluster.A);
            AssertDisplaced(cluster, old, seed);
        }
    }

    [TestMethod]
    public void AReplacementTypedOnTheKeypadWithTheConfirmKeyDisplacesTheOldSet()
    {
        // Needs the phone to confirm a PIN with Keys.Confirm (so '#' is a code character).
        using ClusterBench cluster = new(22, Lossy);
        SimPhone old = cluster.AddPhone("old", 1);
        old.Settings.PresetPin = "***1000";
        old.PowerUp();
        cluster.RunUntilRegisteredAt(old, cluster.A);

        SimPhone replacement = cluster.AddPhone("replacement", 2);
        replacement.PowerUp();
        cluster.RunUntil(replacement, EventNames.PinPrompt);
        replacement.Keypad.Press("###1000" + Keys.Confirm);
        cluster.RunUntilRegisteredAt(replacement, cluster.A);
        Assert.AreEqual("###1000", replacement.StoredPin());
        Assert.AreEqual(1, cluster.A.ReplacementPinsReceived);
        AssertDisplaced(cluster, old, 22);
    }

    [TestMethod]
    public void ADeviceWithoutPinMemoryHomedOnTheOtherElementIsRedirectedThereByItsMac()
    {
        using ClusterBench cluster = new(23, Lossy);
        cluster.B.Forms.MultilineIpSets.Reserve(ClusterBench.Mac(1), "2000", pinMemory: false);
        cluster.A.Forms.MultilineIpSets.Reserve(ClusterBench.Mac(1), "2000", pinMemory: false); // A's reservation names B's DN
        SimPhone pager = cluster.AddPhone("paging-unit", 1);
        pager.Settings.SetType = 5485;
        pager.Settings.HasPinMemory = false;
        pager.PowerUp();
        cluster.RunUntilRegisteredAt(pager, cluster.B);
        Assert.AreEqual("2000", pager.Last(EventNames.Registered)!.Find("dn"));
        Assert.IsFalse(pager.HasEvent(EventNames.PinPrompt));
        Assert.IsFalse(pager.HasEvent(EventNames.CallServerUnreachable), BenchElement.Trail(pager));

        pager.PowerCut();
        pager.PowerUp();
        cluster.RunUntilRegisteredAt(pager, cluster.B);
        Assert.IsTrue(pager.HasEvent(EventNames.Redirect), "it stores nothing, so every boot goes by A");
    }

    [TestMethod]
    public void ADnTakenByAutomaticDnSelectionIsAnnouncedToTheOtherElement()
    {
        using ClusterBench cluster = new(24, Lossy);
        cluster.A.Forms.SystemOptions.AutomaticDnRange = "3000-3009";
        SimPhone userless = cluster.AddPhone("userless", 1);
        userless.Settings.PresetPin = "***";
        userless.PowerUp();
        cluster.RunUntilRegisteredAt(userless, cluster.A);
        Assert.AreEqual("3000", userless.Last(EventNames.Registered)!.Find("dn"));
        Assert.IsTrue(cluster.Runner.RunUntil(() => cluster.B.Forms.ClusterDirectory.RemoteHomes("3000").HasValue, 60_000), "B never heard of DN 3000");
        Assert.AreEqual((1, (int?)null), cluster.B.Forms.ClusterDirectory.RemoteHomes("3000"));

        // A set that asks B for DN 3000 is now sent to A.
        RegistrationMessage atB = Redirect(cluster, "3000");
        Assert.AreEqual(RegistrationMessageType.Redirect, atB.Type);
        Assert.AreEqual("10.77.0.1", atB.Host);
    }

    private static RegistrationMessage Redirect(ClusterBench cluster, string dn)
    {
        RegistrationSession session = new(cluster.B.Forms, cluster.B.Policy, new PinLockouts(cluster.B.Policy));
        session.Handle(RegistrationMessage.Register(new byte[] { 0, 8, 0x5d, 0, 0x20, 0x77 }, 5320, "1.0.0", null), 0);
        return session.Handle(RegistrationMessage.PinEntry("***" + dn), 0).Replies[0];
    }

    private static void AssertDisplaced(ClusterBench cluster, SimPhone old, ulong seed)
    {
        cluster.RunUntil(old, EventNames.Reset);
        Assert.AreEqual("dn-in-use", old.Last(EventNames.PinCleared)!.Find("reason"), "seed " + seed + ": " + BenchElement.Trail(old));
        Assert.IsNull(old.StoredPin(), "seed " + seed);
        Assert.AreEqual(ClusterBench.Mac(2), cluster.A.Forms.MultilineIpSets.FindMacByDn("1000"), "seed " + seed);
        int live = 0;
        foreach ((string _, string dn) in cluster.A.LiveRegistrations())
        {
            live += dn == "1000" ? 1 : 0;
        }

        Assert.AreEqual(1, live, "seed " + seed + ": one DN, one live registration");
        old.EventsThisBoot.Clear();
        cluster.RunUntil(old, EventNames.PinPrompt);
        Assert.AreEqual("none-stored", old.Last(EventNames.PinPrompt)!.Find("reason"), "seed " + seed);
    }
}
