using System.Text;
using PhoneFirmware.Core;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// The phone in SIP mode on the simulated network (docs/sip.md): DHCP and the configuration
/// files from the element, REGISTER with digest at a <see cref="SimSipRegistrar"/>, refresh, the
/// keypad prompts, '*' at power-up, 403 and 302 — over 10% loss with duplication and reordering.
/// </summary>
[TestClass]
public sealed class SipPhoneScenarioTests
{
    private const uint SecondRegistrarAddress = 0x0A4D0002; // 10.77.0.2

    [TestMethod]
    public void CredentialsFromTheFilesRegisterAndRefreshPastOneExpiryThroughLoss()
    {
        for (ulong seed = 1; seed <= 200; seed++)
        {
            using SipBench bench = new(seed, NetworkConditions.Hostile(0.10));
            bench.Registrar.Users["1001"] = "4321";
            SimPhone phone = bench.AddPhone();
            bench.Element.Controller.AddFile(MacFile(phone), Ascii("sip line1 user name: 1001\nsip line1 password: 4321\nsip line1 display name: Front Desk\n"));
            phone.PowerUp();
            bench.RunUntil(phone, EventNames.SipRefresh, 180_000);

            PhoneEvent config = phone.Last(EventNames.SipConfig)!;
            Assert.AreEqual(2, config.Find("files"), "startup.cfg and the MAC file: " + BenchElement.Trail(phone));
            Assert.AreEqual(1, config.Find("malformedLines"), "the line without a colon in startup.cfg");
            Assert.IsTrue(phone.EventsThisBoot.Exists(e => e.Name == EventNames.SipConfigFile && (string)e.Find("file")! == "6867i.cfg" && (string)e.Find("outcome")! == "missing"));
            Assert.AreEqual("1001", phone.Last(EventNames.Registered)!.Find("dn"));
            Assert.IsTrue(phone.HasEvent(EventNames.SipChallenge));
            Assert.IsFalse(phone.HasEvent(EventNames.PinPrompt), "credentials were in the files");
            Assert.IsTrue(bench.Registrar.Bindings.ContainsKey("1001"));
            Assert.AreEqual(PhoneFirmware.Core.Display.DisplayTexts.RegisteredDn("1001").Trim(), phone.Display.Line(0).Trim());
        }
    }

    [TestMethod]
    public void NoCredentialsPromptsForNumberThenPasswordAndKeepsThemInFlash()
    {
        using SipBench bench = new(31, NetworkConditions.Hostile(0.10));
        bench.Registrar.Users["1002"] = "5555";
        SimPhone phone = bench.AddPhone();
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.PinPrompt);
        Assert.AreEqual("number", phone.Last(EventNames.PinPrompt)!.Find("entry"));
        Assert.AreEqual("Number?", phone.Display.Line(0).Trim());
        phone.Keypad.Press("1002\n");
        bench.Element.Runner.RunUntil(() => phone.Count(EventNames.PinPrompt) == 2, 10_000);
        Assert.AreEqual("password", phone.Last(EventNames.PinPrompt)!.Find("entry"));
        phone.Keypad.Press("5555\n");
        bench.RunUntil(phone, EventNames.Registered);

        Assert.AreEqual("1002", phone.Last(EventNames.PinSaved)!.Find("number"));
        SipCredentialStore stored = new(phone.Flash, PhoneFlashLayout.SipCredentialOffset);
        stored.Load();
        Assert.AreEqual("1002", stored.Number);
        Assert.AreEqual("5555", stored.Password);

        // The next boot registers from the flash without asking.
        phone.PowerCut();
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        Assert.IsFalse(phone.HasEvent(EventNames.PinPrompt), BenchElement.Trail(phone));
    }

    [TestMethod]
    public void StarAtPowerUpRemovesTheBindingThenClearsAndPrompts()
    {
        using SipBench bench = new(41, NetworkConditions.Hostile(0.10));
        bench.Registrar.Users["1003"] = "7777";
        SimPhone phone = bench.AddPhone();
        new SipCredentialStore(phone.Flash, PhoneFlashLayout.SipCredentialOffset).Write("1003", "7777");
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        Assert.IsTrue(bench.Registrar.Bindings.ContainsKey("1003"));

        phone.PowerCut();
        phone.PowerUp(holdStar: true);
        bench.RunUntil(phone, EventNames.PinPrompt);

        PhoneEvent? removal = phone.Last(EventNames.SipUnregistered);
        Assert.IsNotNull(removal, "no removal before the prompt: " + BenchElement.Trail(phone));
        Assert.AreEqual(200, removal.Find("status"), BenchElement.Trail(phone));
        Assert.IsFalse(bench.Registrar.Bindings.ContainsKey("1003"), "the old binding is still at the registrar");
        int unregistered = phone.EventsThisBoot.FindIndex(e => e.Name == EventNames.SipUnregistered);
        int cleared = phone.EventsThisBoot.FindIndex(e => e.Name == EventNames.PinCleared);
        Assert.IsTrue(unregistered >= 0 && cleared > unregistered, "cleared before the removal: " + BenchElement.Trail(phone));
        Assert.AreEqual("number", phone.Last(EventNames.PinPrompt)!.Find("entry"));
        SipCredentialStore stored = new(phone.Flash, PhoneFlashLayout.SipCredentialOffset);
        stored.Load();
        Assert.AreEqual(string.Empty, stored.Number);
        Assert.AreEqual(string.Empty, stored.Password);
    }

    [TestMethod]
    public void ARefusedPasswordIsClearedAndAskedForAgainNamingTheRegistrar()
    {
        using SipBench bench = new(51, NetworkConditions.Hostile(0.10));
        bench.Registrar.Users["1004"] = "1111";
        SimPhone phone = bench.AddPhone();
        new SipCredentialStore(phone.Flash, PhoneFlashLayout.SipCredentialOffset).Write("1004", "9999");
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.PinPrompt);

        PhoneEvent cleared = phone.Last(EventNames.PinCleared)!;
        Assert.IsNotNull(cleared, BenchElement.Trail(phone));
        Assert.AreEqual("credentials-refused", cleared.Find("reason"));
        Assert.AreEqual(403, cleared.Find("status"));
        Assert.AreEqual("password", phone.Last(EventNames.PinPrompt)!.Find("entry"));
        Assert.AreEqual("Refused 10.77.0.1", phone.Display.Line(0).Trim());
        SipCredentialStore stored = new(phone.Flash, PhoneFlashLayout.SipCredentialOffset);
        stored.Load();
        Assert.AreEqual("1004", stored.Number, "the number is kept");
        Assert.AreEqual(string.Empty, stored.Password, "the refused password is still in flash");

        phone.Keypad.Press("1111\n");
        bench.RunUntil(phone, EventNames.Registered);
        Assert.IsTrue(bench.Registrar.Bindings.ContainsKey("1004"));
    }

    [TestMethod]
    public void ARedirectReHomesThePhoneWithoutAPrompt()
    {
        using SipBench bench = new(61, NetworkConditions.Hostile(0.10));
        SimHost hostB = bench.Element.Runner.Network.AddHost("registrar-b", new byte[] { 0x02, 0, 0, 0, 0, 2 }, SecondRegistrarAddress);
        SimSipRegistrar b = new(bench.Element.Runner, hostB);
        b.Users["1005"] = "2468";
        bench.Registrar.RedirectTo["1005"] = "10.77.0.2:5060";
        SimPhone phone = bench.AddPhone();
        new SipCredentialStore(phone.Flash, PhoneFlashLayout.SipCredentialOffset).Write("1005", "2468");
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);

        Assert.AreEqual("10.77.0.2:5060", phone.Last(EventNames.Redirect)!.Find("target"), BenchElement.Trail(phone));
        Assert.AreEqual("10.77.0.2:5060", phone.Last(EventNames.Registered)!.Find("controller"));
        Assert.IsFalse(phone.HasEvent(EventNames.PinPrompt));
        Assert.IsTrue(b.Bindings.ContainsKey("1005"));
        Assert.IsFalse(bench.Registrar.Bindings.ContainsKey("1005"));
    }

    [TestMethod]
    public void ARedirectLoopBacksOffShowingRedirectLoop()
    {
        using SipBench bench = new(62, NetworkConditions.Hostile(0.10));
        bench.Registrar.RedirectTo["1006"] = "10.77.0.1:5060"; // homed on itself: every REGISTER is redirected back
        SimPhone phone = bench.AddPhone();
        new SipCredentialStore(phone.Flash, PhoneFlashLayout.SipCredentialOffset).Write("1006", "1357");
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.BackingOff);

        Assert.IsTrue(phone.HasEvent(EventNames.RedirectLimit), BenchElement.Trail(phone));
        Assert.AreEqual("redirect-loop", phone.Last(EventNames.BackingOff)!.Find("cause"), BenchElement.Trail(phone));
        Assert.AreEqual("Redirect loop", phone.Display.Line(0), BenchElement.Trail(phone));
        StringAssert.StartsWith(phone.Display.Line(1), "Retry in ");
    }

    [TestMethod]
    public void ARefusedConnectionIsReportedAsSuchNotAsATimeout()
    {
        using SipBench bench = new(63, NetworkConditions.Perfect);
        SimPhone phone = bench.AddPhone();
        phone.Settings.SipTransportCode = 2; // TCP: the registrar listens on UDP only, so the connection is refused
        new SipCredentialStore(phone.Flash, PhoneFlashLayout.SipCredentialOffset).Write("1007", "1111");
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.CallServerUnreachable);

        Assert.AreEqual("connection failed", phone.Last(EventNames.CallServerUnreachable)!.Find("reason"), BenchElement.Trail(phone));
    }

    private static string MacFile(SimPhone phone)
    {
        return System.Convert.ToHexString(phone.Host.MacAddress) + ".cfg";
    }

    private static byte[] Ascii(string text)
    {
        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>The element (DHCP and TFTP) with a SIP registrar on its address and startup.cfg naming it.</summary>
    private sealed class SipBench : System.IDisposable
    {
        public SipBench(ulong seed, NetworkConditions conditions)
        {
            Element = new BenchElement(seed, conditions);
            Registrar = new SimSipRegistrar(Element.Runner, Element.Controller.Host);
            Element.Controller.AddFile("startup.cfg", Ascii("# the lab's startup.cfg\nsip registrar ip: 10.77.0.1\nsip registrar port: 5060\nthis line has no colon\n"));
        }

        public BenchElement Element { get; }

        public SimSipRegistrar Registrar { get; }

        public SimPhone AddPhone()
        {
            SimPhone phone = Element.AddPhone("sip-phone", 7);
            phone.Settings.CallControl = CallControl.Sip;
            phone.Settings.BootFiles = new string[0];
            return phone;
        }

        public void RunUntil(SimPhone phone, string eventName, long limitMs = 120_000)
        {
            Element.RunUntil(phone, eventName, limitMs);
        }

        public void Dispose()
        {
            Element.Dispose();
        }
    }
}
