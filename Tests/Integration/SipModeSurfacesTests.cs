using System;
using System.IO;
using System.Threading.Tasks;
using Controller.SipDemo;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// The emulator's three lab surfaces in SIP mode (`phone --protocol sip`), each end to end
/// against real Kamailio on loopback (<see cref="SipLab"/>: Kamailio A with the shipped
/// configuration, this controller's DHCP and TFTP serving a startup.cfg that names A and no line
/// credentials): the set prompts `Number?` then `PIN?`, takes them from the terminal's keyboard,
/// the test port's KEYS or a HIL scenario's `type`, and registers as 1001. A phone whose SIP mode
/// is not wired prompts for a bench PIN instead, and each test fails.
/// </summary>
[TestClass]
public class SipModeSurfacesTests
{
    private const string Mac = "00:08:5d:51:de:01";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string SipScenario => Path.Combine(RepositoryPaths.Root, "tools", "HilRunner", "scenarios", "sip-first-registration.txt");

    [TestMethod]
    public async Task TheTerminalViewDrawsTheNumberAndPinPromptsARefusalAndTheRegisteredLine()
    {
        Peer.Require("/usr/bin/tmux");
        using TestDirectory directory = new("sip-demo-terminal");
        await using SipLab lab = SipLab.Start(directory.File("lab"), cluster: false);
        string phone = $"dotnet '{BuiltPrograms.Phone}' --terminal {PhoneArguments(lab)}";
        using TmuxSession pane = new(phone + "; echo \"phone exited $?\"; sleep 600", directory.Path, 80, 24);

        string screen = pane.WaitFor(s => s.Contains("|Number?", StringComparison.Ordinal), "the SIP number prompt", Wait);
        StringAssert.Contains(screen, "Prompting | mac " + Mac);
        pane.Type("1001");
        pane.Press("Enter");
        pane.WaitFor(s => s.Contains("|PIN?", StringComparison.Ordinal), "the SIP password prompt", Wait);

        // A wrong password: Kamailio challenges again (a non-stale 401), the set says who refused it and asks again.
        pane.Type("9999");
        pane.Press("Enter");
        screen = pane.WaitFor(s => s.Contains("|Refused 127.0.0.1", StringComparison.Ordinal), "the refusal naming the registrar", Wait);
        StringAssert.Contains(screen, "Prompting | mac " + Mac);
        pane.Type("1234");
        pane.Press("Enter");
        screen = pane.WaitFor(s => s.Contains("|DN 1001", StringComparison.Ordinal) && s.Contains("Registered | mac", StringComparison.Ordinal), "registered as 1001", Wait);
        StringAssert.Contains(screen, "last: in.service dn=1001");
        StringAssert.Contains(string.Join(",", lab.A.Bindings()), "1001 -> sip:1001@" + SipLab.LeaseAddress);

        pane.Type("q");
        screen = pane.WaitFor(s => s.Contains("phone exited", StringComparison.Ordinal), "the phone's exit", Wait);
        StringAssert.Contains(screen, "phone exited 0");
    }

    [TestMethod]
    public async Task TheTestPortTypesTheNumberAndPinReadsTheSipScreenAndARestartRegistersFromFlash()
    {
        using TestDirectory directory = new("sip-demo-testport");
        await using SipLab lab = SipLab.Start(directory.File("lab"), cluster: false);
        using PtyPair pty = new();
        using BackgroundProcess phone = new("dotnet", BuiltPrograms.Phone + " --events json --test-port " + pty.A + " " + PhoneArguments(lab), directory.Path);
        using SipTestPortClient port = new(pty.B);

        int at = port.Count;
        port.Send("RESTART");
        Assert.IsNotNull(port.WaitFor(at, Wait, "\"event\":\"power.up\""), port.Transcript + "\nphone:\n" + phone.Output);
        Assert.IsNotNull(port.WaitFor(at, Wait, "\"event\":\"pin.prompt\"", "\"entry\":\"number\""), port.Transcript + "\nphone:\n" + phone.Output);
        at = port.Count;
        port.Send("DISPLAY?");
        Assert.IsNotNull(port.WaitFor(at, Wait, "DISPLAY Number?|"), port.Transcript);

        at = port.Count;
        port.Send("KEYS 1001{ok}");
        Assert.IsNotNull(port.WaitFor(at, Wait, "\"event\":\"pin.prompt\"", "\"entry\":\"password\""), port.Transcript);
        at = port.Count;
        port.Send("DISPLAY?");
        Assert.IsNotNull(port.WaitFor(at, Wait, "DISPLAY PIN?|"), port.Transcript);

        at = port.Count;
        port.Send("KEYS 1234{ok}");
        Assert.IsNotNull(port.WaitFor(at, Wait, "\"event\":\"pin.saved\"", "\"number\":\"1001\""), port.Transcript);
        Assert.IsNotNull(port.WaitFor(at, Wait, "\"event\":\"registered\"", "\"dn\":\"1001\"", "\"controller\":\"" + lab.A.Address + "\""), port.Transcript + "\nphone:\n" + phone.Output);
        at = port.Count;
        port.Send("DISPLAY?");
        Assert.IsNotNull(port.WaitFor(at, Wait, "DISPLAY DN 1001|"), port.Transcript);

        // A power cycle through the port: the credentials in flash register the set without a prompt.
        at = port.Count;
        port.Send("RESTART");
        int powerUp = port.IndexOf(at, "\"event\":\"power.up\"");
        Assert.IsNotNull(port.WaitFor(at, Wait, "\"event\":\"registered\"", "\"dn\":\"1001\""), port.Transcript + "\nphone:\n" + phone.Output);
        Assert.AreEqual(-1, port.IndexOf(Math.Max(at, powerUp), "\"event\":\"pin.prompt\""), port.Transcript);
    }

    [TestMethod]
    public async Task TheSipFirstRegistrationScenarioPassesAndAgainWithAStarResetThatUnregistersFirst()
    {
        using TestDirectory directory = new("sip-demo-hil");
        await using SipLab lab = SipLab.Start(directory.File("lab"), cluster: false);
        using PtyPair pty = new();
        using BackgroundProcess phone = new("dotnet", BuiltPrograms.Phone + " --events json --test-port " + pty.A + " " + PhoneArguments(lab), directory.Path);
        Assert.IsTrue(phone.WaitForLine("power.up", Wait), "phone did not start:\n" + phone.Output);

        (int exitCode, string transcript) = RunScenario(pty.B);
        Assert.AreEqual(0, exitCode, transcript + "\nphone:\n" + phone.Output);
        StringAssert.Contains(transcript, "> KEYS 1001{ok}");
        StringAssert.Contains(transcript, "> KEYS 1234{ok}");
        StringAssert.Contains(transcript, "PASS 8 steps");

        // With the credentials in flash, '*' at power-up removes the binding at Kamailio before clearing them.
        StringAssert.Contains(string.Join(",", lab.A.Bindings()), "1001 -> ");
        (exitCode, transcript) = RunScenario(pty.B);
        Assert.AreEqual(0, exitCode, transcript + "\nphone:\n" + phone.Output);
        int unregistered = transcript.IndexOf("\"event\":\"sip.unregistered\",\"status\":200", StringComparison.Ordinal);
        int cleared = transcript.IndexOf("\"event\":\"pin.cleared\"", StringComparison.Ordinal);
        Assert.IsTrue(unregistered > 0 && cleared > unregistered, transcript);
    }

    // The set: SIP mode, bound to the one address the lab leases, any local SIP port.
    private static string PhoneArguments(SipLab lab)
    {
        return $"--protocol sip --mac {Mac} --flash phone.flash --dhcp-server 127.0.0.1:{lab.DhcpPort} --dhcp-client-port 0 --bind {SipLab.LeaseAddress} --sip-port 0";
    }

    private static (int ExitCode, string Transcript) RunScenario(string tty)
    {
        return ProcessRunner.Run("dotnet", BuiltPrograms.HilRunner + " --port " + tty + " " + SipScenario, RepositoryPaths.Root, TimeSpan.FromSeconds(120));
    }
}
