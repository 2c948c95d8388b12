using System;
using System.IO;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// The HIL runner against the emulator's serial test port through a real pty pair (socat), with a
/// real controller: exactly what a lab runs against a board, with the board replaced by `phone --test-port`.
/// </summary>
[TestClass]
public class HilRunnerOnPtyTests
{
    private static string FirstRegistration => Path.Combine(RepositoryPaths.Root, "tools", "HilRunner", "scenarios", "first-registration.txt");

    [TestMethod]
    public void TheFirstRegistrationScenarioPassesAndHoldingStarClearsAStoredPin()
    {
        using TestDirectory directory = new("hil");
        using LoopbackElement controller = new(directory, "hil-1", 20_000);
        using PtyPair pty = new();
        using BackgroundProcess phone = StartPhone(directory, pty.A, controller.DhcpPort);

        // First run: a fresh set is prompted, takes ***1000 and the Confirm key from the port and registers (and saves the PIN).
        (int exitCode, string transcript) = RunScenario(FirstRegistration, pty.B);
        Assert.AreEqual(0, exitCode, transcript + "\nphone:\n" + phone.Output + "\ncontroller:\n" + controller.Output);
        StringAssert.Contains(transcript, "> RESTART HOLD *");
        StringAssert.Contains(transcript, "> KEYS ***1000{ok}");
        StringAssert.Contains(transcript, "\"event\":\"pin.saved\"");
        StringAssert.Contains(transcript, "PASS 5 steps");

        // Second run: the set now has a PIN; only '*' held through power-up makes it prompt again.
        (exitCode, transcript) = RunScenario(FirstRegistration, pty.B);
        Assert.AreEqual(0, exitCode, transcript + "\nphone:\n" + phone.Output);
        StringAssert.Contains(transcript, "\"event\":\"pin.cleared\",\"reason\":\"star-held-at-power-up\"");
        Assert.IsFalse(phone.HasExited, phone.Output);
    }

    [TestMethod]
    public void AnExpectationThatNeverComesFailsWithExitOneAndSaysWhatItWaitedFor()
    {
        using TestDirectory directory = new("hil-negative");
        using PtyPair pty = new();

        // Nothing at the other end: the runner says so instead of hanging.
        File.WriteAllText(directory.File("never.txt"), "restart\nexpect never.happens within 2s\n");
        (int exitCode, string transcript) = RunScenario(directory.File("never.txt"), pty.B);
        Assert.AreEqual(1, exitCode, transcript);
        StringAssert.Contains(transcript, "no answer to PING within 5 s");

        // A phone with no DHCP server to talk to powers up and waits: the event never comes.
        using BackgroundProcess phone = StartPhone(directory, pty.A, FreePorts.Udp());
        (exitCode, transcript) = RunScenario(directory.File("never.txt"), pty.B);
        Assert.AreEqual(1, exitCode, transcript + "\nphone:\n" + phone.Output);
        StringAssert.Contains(transcript, "ok   line 1: restart");
        StringAssert.Contains(transcript, "FAIL line 2: expect never.happens within 2s: waited 2 s for event never.happens; it did not come.");
        StringAssert.Contains(transcript, "Events since the last match: ");

        // A scenario file with a mistake runs nothing: exit 2 and the line.
        File.WriteAllText(directory.File("bad.txt"), "restart\nexpect registered within soon\n");
        (exitCode, transcript) = RunScenario(directory.File("bad.txt"), pty.B);
        Assert.AreEqual(2, exitCode, transcript);
        StringAssert.Contains(transcript, "bad.txt line 2: 'soon' is not a duration");
        Assert.IsFalse(transcript.Contains("> RESTART", StringComparison.Ordinal), transcript);
    }

    [TestMethod]
    public void ThePhoneRefusesATestPortThatIsNotATerminal()
    {
        using TestDirectory directory = new("hil-usage");
        File.WriteAllText(directory.File("plain"), string.Empty);
        (int exitCode, string output) = ProcessRunner.Run("dotnet", BuiltPrograms.Phone + " --test-port " + directory.File("plain"), directory.Path, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "is not a terminal");
        (exitCode, output) = ProcessRunner.Run("dotnet", BuiltPrograms.HilRunner + " --port /dev/pts/999999 " + FirstRegistration, directory.Path, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "/dev/pts/999999");
    }

    private static BackgroundProcess StartPhone(TestDirectory directory, string tty, int dhcpPort)
    {
        string args = BuiltPrograms.Phone + $" --mac 00:08:5d:aa:bb:05 --flash phone.flash --dhcp-server 127.0.0.1:{dhcpPort} --dhcp-client-port 0 --events json --test-port {tty}";
        BackgroundProcess phone = new("dotnet", args, directory.Path);
        Assert.IsTrue(phone.WaitForLine("power.up", TimeSpan.FromSeconds(30)), "phone did not start:\n" + phone.Output);
        return phone;
    }

    private static (int ExitCode, string Transcript) RunScenario(string scenario, string tty)
    {
        return ProcessRunner.Run("dotnet", BuiltPrograms.HilRunner + " --port " + tty + " " + scenario, RepositoryPaths.Root, TimeSpan.FromSeconds(120));
    }
}
