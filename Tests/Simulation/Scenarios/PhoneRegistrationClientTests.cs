using System.Collections.Generic;
using Hal;
using PhoneFirmware.Core.Events;
using Protocol.Registration;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// The phone's registration client on the simulated cluster (issue 11): PIN entry on the keypad
/// (confirm, backspace, echo, timeout, keys outside a prompt discarded), the display at each
/// stage and for each re-prompt reason, and the redirect policy (hop limit, back-off, the
/// target DN's secondary, DHCP's call servers again).
/// </summary>
[TestClass]
public sealed class PhoneRegistrationClientTests
{
    private const uint AddressScripted = 0x0A4D0003;
    private const uint AddressSecondary = 0x0A4D0004;
    private const string Unreachable = "10.77.0.9";

    private static NetworkConditions Lossy => NetworkConditions.Hostile(0.05);

    [TestMethod]
    public void KeysTypedDuringBootAreDiscardedAndNeverLeakIntoThePin()
    {
        using ClusterBench cluster = new(21, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.PowerUp();
        phone.Keypad.Press("12");
        cluster.RunUntil(phone, EventNames.PinPrompt);
        phone.Keypad.Press("***1000" + Keys.Confirm);
        cluster.RunUntilRegisteredAt(phone, cluster.A);
        Assert.AreEqual("***1000", phone.StoredPin());
        Assert.AreEqual(2, phone.Last(EventNames.KeysDiscarded)!.Find("count"));
    }

    [TestMethod]
    public void KeysTypedWhileRegisteredAreDiscardedAndNeverLeakIntoTheNextPin()
    {
        using ClusterBench cluster = new(22, Lossy);
        AddElement(cluster, 3, "10.77.0.3", "3000");
        ScriptedCallServer element = new(cluster.Runner, "scripted", AddressScripted, m => new[] { RegistrationMessage.Registered("3000", "Set 3000", true) });
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***3000";
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.InService);
        phone.Keypad.Press("77");
        cluster.Runner.RunFor(500);
        Assert.AreEqual(2, phone.Last(EventNames.KeysDiscarded)!.Find("count"));

        phone.EventsThisBoot.Clear();
        element.Push(RegistrationMessage.ClearPin(PinRequestReason.DnInUse));
        cluster.RunUntil(phone, EventNames.PinPrompt);
        phone.Keypad.Press("***3000" + Keys.Confirm);
        Assert.IsTrue(cluster.Runner.RunUntil(() => element.Received.Exists(m => m.Type == RegistrationMessageType.PinEntry), 10_000));
        Assert.AreEqual("***3000", element.Received.Find(m => m.Type == RegistrationMessageType.PinEntry)!.Pin);
    }

    [TestMethod]
    public void TheReplacementSequenceIsTypedOnTheKeypad()
    {
        using ClusterBench cluster = new(23, Lossy);
        SimPhone broken = cluster.AddPhone("broken", 1);
        broken.Settings.PresetPin = "***1000";
        broken.PowerUp();
        cluster.RunUntilRegisteredAt(broken, cluster.A);
        broken.PowerCut();

        SimPhone replacement = cluster.AddPhone("replacement", 2);
        replacement.PowerUp();
        cluster.RunUntil(replacement, EventNames.PinPrompt);
        replacement.Keypad.Press("###1000" + Keys.Confirm);
        cluster.RunUntilRegisteredAt(replacement, cluster.A);
        Assert.AreEqual("###1000", replacement.StoredPin());
        Assert.AreEqual(ClusterBench.Mac(2), cluster.A.Forms.MultilineIpSets.FindMacByDn("1000"));
    }

    [TestMethod]
    public void TypedKeysAreEchoedAndBackspaceErasesOne()
    {
        using ClusterBench cluster = new(24, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.PinPrompt);
        Assert.AreEqual("Enter PIN:", phone.Core.Screen.Line(0));
        phone.Keypad.Press("***10009");
        cluster.Runner.RunFor(200);
        Assert.AreEqual("***10009", phone.Core.Screen.Line(1));
        phone.Keypad.Press(Keys.Backspace);
        cluster.Runner.RunFor(200);
        Assert.AreEqual("***1000", phone.Core.Screen.Line(1));
        phone.Keypad.Press(Keys.Confirm);
        cluster.RunUntilRegisteredAt(phone, cluster.A);
        Assert.AreEqual("***1000", phone.StoredPin());
    }

    [TestMethod]
    public void KeysLeftUnconfirmedTimeOutAndAreDiscarded()
    {
        using ClusterBench cluster = new(25, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.PinPrompt);
        phone.Keypad.Press("***9");
        cluster.Runner.RunFor(phone.Settings.PinEntryTimeoutMilliseconds + 500);
        Assert.AreEqual(4, phone.Last(EventNames.PinTimeout)!.Find("discarded"));
        Assert.AreEqual(string.Empty, phone.Core.Screen.Line(1));
        phone.Keypad.Press("***1000" + Keys.Confirm);
        cluster.RunUntilRegisteredAt(phone, cluster.A);
        Assert.AreEqual("***1000", phone.StoredPin());
    }

    [TestMethod]
    public void EachRePromptReasonShowsItsOwnText()
    {
        using ClusterBench cluster = new(26, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.PinPrompt);
        phone.EventsThisBoot.Clear();
        phone.Keypad.Press("*0*1000" + Keys.Confirm);
        cluster.RunUntil(phone, EventNames.PinPrompt);
        Assert.AreEqual("Bad access code PIN:", phone.Core.Screen.Line(0));
        phone.EventsThisBoot.Clear();
        phone.Keypad.Press("***9999" + Keys.Confirm);
        cluster.RunUntil(phone, EventNames.PinPrompt);
        Assert.AreEqual("Wrong PIN. PIN:", phone.Core.Screen.Line(0));

        SimPhone first = cluster.AddPhone("first", 2);
        first.Settings.PresetPin = "***1001";
        first.PowerUp();
        cluster.RunUntilRegisteredAt(first, cluster.A);
        SimPhone second = cluster.AddPhone("second", 3);
        second.PowerUp();
        cluster.RunUntil(second, EventNames.PinPrompt);
        second.EventsThisBoot.Clear();
        second.Keypad.Press("***1001" + Keys.Confirm);
        cluster.RunUntil(second, EventNames.PinPrompt);
        Assert.AreEqual("dn-in-use", second.Last(EventNames.PinPrompt)!.Find("reason"));
        Assert.AreEqual("DN in use. PIN:", second.Core.Screen.Line(0));
    }

    [TestMethod]
    public void ALockOutShowsTheTimeLeft()
    {
        using ClusterBench cluster = new(27, Lossy);
        AddElement(cluster, 3, "10.77.0.3", "3000");
        RegistrationMessage lockedOut = RegistrationMessage.PinRequest(PinRequestReason.LockedOut);
        lockedOut.RetrySeconds = 90;
        _ = new ScriptedCallServer(cluster.Runner, "scripted", AddressScripted, m => new[] { lockedOut });
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***3000";
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.Redirect);
        phone.EventsThisBoot.Clear();
        cluster.RunUntil(phone, EventNames.PinPrompt);
        Assert.AreEqual("locked-out", phone.Last(EventNames.PinPrompt)!.Find("reason"));
        Assert.AreEqual(90, phone.Last(EventNames.PinPrompt)!.Find("retrySeconds"));
        Assert.AreEqual("Locked 90s. PIN:", phone.Core.Screen.Line(0));
    }

    [TestMethod]
    public void TheRegisteredScreenShowsDnAndNameAfterWaitingForComms()
    {
        using ClusterBench cluster = new(28, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        cluster.RunUntilRegisteredAt(phone, cluster.A);
        Assert.AreEqual("DN 1000", phone.Core.Screen.Line(0));
        Assert.AreEqual("Set 1000", phone.Core.Screen.Line(1));
        AssertShownInOrder(phone, "Waiting for TCP link", "Waiting for ACK...", "Waiting for COMMS...", "DN 1000");
        Assert.IsTrue(phone.HasEvent(EventNames.InService));
    }

    [TestMethod]
    public void ARedirectShowsTheThreeReHomingStages()
    {
        using ClusterBench cluster = new(29, Lossy);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***2000";
        phone.PowerUp();
        cluster.RunUntilRegisteredAt(phone, cluster.B);
        AssertShownInOrder(phone, "Redirected", "Waiting for ACK...", "Waiting for COMMS...", "DN 2000", "Set 2000");
        Assert.AreEqual(-1, phone.Display.ProgressPercent, "the re-homing bar is gone once in service");
    }

    [TestMethod]
    public void ARedirectLoopEndsAtTheHopLimitAndBacksOffLongerEachRound()
    {
        using ClusterBench cluster = new(30, Lossy);
        cluster.A.Forms.ClusterDirectory.AddRemoteDirectoryNumber("3000", 2);
        cluster.B.Forms.ClusterDirectory.AddRemoteDirectoryNumber("3000", 1);
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***3000";
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.RedirectLimit, 60_000);
        Assert.AreEqual(phone.Settings.RedirectHopLimit, phone.Count(EventNames.Redirect), BenchElement.Trail(phone));
        Assert.AreEqual("redirect-loop", phone.Last(EventNames.BackingOff)!.Find("cause"));
        Assert.AreEqual("Redirect loop", phone.Core.Screen.Line(0));

        cluster.Runner.RunFor(60_000);
        List<int> pauses = BackOffs(phone);
        Assert.IsTrue(pauses.Count >= 3, "rounds: " + pauses.Count);
        Assert.AreEqual(phone.Settings.CallServerRetryMilliseconds * 2, pauses[1]);
        Assert.AreEqual(phone.Settings.CallServerRetryMilliseconds * 4, pauses[2]);
        Assert.IsTrue(phone.Count(EventNames.Redirect) <= phone.Settings.RedirectHopLimit * (pauses.Count + 1), "redirects " + phone.Count(EventNames.Redirect) + " in " + pauses.Count + " rounds");
        Assert.IsFalse(phone.HasEvent(EventNames.Registered));
    }

    [TestMethod]
    public void AnUnreachableRedirectTargetIsRetriedThenDhcpsCallServersAgainWithBackOff()
    {
        using ClusterBench cluster = new(31, Lossy);
        AddElement(cluster, 3, Unreachable, "4000");
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***4000";
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.Redirect);
        cluster.RunUntil(phone, EventNames.BackingOff);
        Assert.AreEqual("redirect-failed", phone.Last(EventNames.BackingOff)!.Find("cause"));
        Assert.AreEqual("Redirect failed", phone.Core.Screen.Line(0));
        Assert.AreEqual("Retry in 4s", phone.Core.Screen.Line(1));

        cluster.Runner.RunFor(30_000);
        List<string> trail = Trail(phone);
        int firstRedirect = trail.IndexOf(EventNames.Redirect);
        CollectionAssert.AreEqual(
            new[] { EventNames.Redirect, "unreachable " + Unreachable, EventNames.BackingOff + " redirect-failed", "unreachable " + Unreachable, EventNames.BackingOff + " redirect-failed", EventNames.RegisterSent + " 10.77.0.1:6800", EventNames.Redirect },
            trail.GetRange(firstRedirect, 7),
            string.Join(", ", trail));
        List<int> pauses = BackOffs(phone);
        Assert.AreEqual(phone.Settings.CallServerRetryMilliseconds, pauses[0]);
        Assert.AreEqual(phone.Settings.CallServerRetryMilliseconds * 2, pauses[1]);
    }

    [TestMethod]
    public void AnUnreachableRedirectTargetFallsBackToItsDnsSecondary()
    {
        using ClusterBench cluster = new(32, Lossy);
        AddElement(cluster, 3, "10.77.0.3", "3000");
        RegistrationMessage redirect = RegistrationMessage.Redirect(Unreachable, 6800, false);
        redirect.AlternateHost = "10.77.0.4";
        redirect.AlternatePort = 6800;
        _ = new ScriptedCallServer(cluster.Runner, "redirector", AddressScripted, m => new[] { redirect });
        ScriptedCallServer secondary = new(cluster.Runner, "secondary", AddressSecondary, m => new[] { RegistrationMessage.Registered("3000", "Set 3000", false) });
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***3000";
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.InService, 60_000);
        Assert.AreEqual("10.77.0.4:6800", phone.Last(EventNames.Registered)!.Find("controller"));
        Assert.AreEqual(phone.Settings.RedirectTargetAttempts, phone.Count(EventNames.CallServerUnreachable), BenchElement.Trail(phone));
        Assert.AreEqual("***3000", secondary.Received[0].Pin);
        Assert.AreEqual("DN 3000", phone.Core.Screen.Line(0));
    }

    [TestMethod]
    public void CallServersAndRedirectTargetsNamedByFqdnAreLookedUpWithoutBlocking()
    {
        using BenchElement bench = new(33, Lossy, serveDhcp: false);
        _ = new SimDnsServer(bench.Runner, "dns", 0x0A4D0035);
        bench.Runner.Network.AddName("redirector.lab.test", AddressScripted);
        bench.Runner.Network.AddName("home.lab.test", BenchElement.ControllerAddress);
        _ = new ScriptedCallServer(bench.Runner, "redirector", AddressScripted, m => new[] { RegistrationMessage.Redirect("home.lab.test", 6800, false) });
        _ = new SimDhcpServer(bench.Runner, "dhcp", new Protocol.Dhcp.DhcpServerConfig
        {
            ServerAddress = 0x0A4D0002,
            PoolStart = 0x0A4D0032,
            PoolEnd = 0x0A4D0063,
            SubnetMask = 0xFFFFFF00,
            DnsServers = new uint[] { 0x0A4D0035 },
            PhoneConfigString = "id:ipphone.mitel.com;sw_tftp=10.77.0.1;call_srv=redirector.lab.test:6800",
        });
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.InService);
        Assert.AreEqual("home.lab.test:6800", phone.Last(EventNames.Registered)!.Find("controller"), BenchElement.Trail(phone));
        List<string> resolved = new();
        foreach (PhoneEvent e in phone.EventsThisBoot)
        {
            if (e.Name == EventNames.CallServerResolved)
            {
                resolved.Add(e.Find("name") + "=" + e.Find("address"));
            }
        }

        CollectionAssert.AreEqual(new[] { "redirector.lab.test=10.77.0.3", "home.lab.test=10.77.0.1" }, resolved);
    }

    private static void AddElement(ClusterBench cluster, int ceid, string address, string dn)
    {
        cluster.A.Forms.ClusterDirectory.AddElement(ceid, "7" + ceid, false, address, SimController.RegistrationPort, "element " + ceid);
        cluster.A.Forms.ClusterDirectory.AddRemoteDirectoryNumber(dn, ceid);
    }

    private static List<int> BackOffs(SimPhone phone)
    {
        List<int> pauses = new();
        foreach (PhoneEvent e in phone.EventsThisBoot)
        {
            if (e.Name == EventNames.BackingOff)
            {
                pauses.Add((int)e.Find("milliseconds")!);
            }
        }

        return pauses;
    }

    // The registration events of this boot, with the detail that tells the steps apart.
    private static List<string> Trail(SimPhone phone)
    {
        List<string> trail = new();
        foreach (PhoneEvent e in phone.EventsThisBoot)
        {
            switch (e.Name)
            {
                case EventNames.Redirect: trail.Add(e.Name); break;
                case EventNames.CallServerUnreachable: trail.Add("unreachable " + ((string)e.Find("controller")!).Split(':')[0]); break;
                case EventNames.BackingOff: trail.Add(e.Name + " " + e.Find("cause")); break;
                case EventNames.RegisterSent: trail.Add(e.Name + " " + e.Find("controller")); break;
            }
        }

        return trail;
    }

    private static void AssertShownInOrder(SimPhone phone, params string[] texts)
    {
        List<string> shown = new();
        foreach (PhoneEvent e in phone.EventsThisBoot)
        {
            if (e.Name == EventNames.Display)
            {
                shown.Add((string)e.Find("text")!);
            }
        }

        int from = 0;
        foreach (string text in texts)
        {
            int at = shown.IndexOf(text, from);
            Assert.IsTrue(at >= 0, "\"" + text + "\" not shown after position " + from + ": " + string.Join(" | ", shown));
            from = at + 1;
        }
    }
}
