using System;
using System.IO;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// `phone --terminal` as a person (or a tmux script) uses it: the display drawn in an 80x24 pane,
/// keys typed with `tmux send-keys`, against a real `controller serve` process on loopback.
/// </summary>
[TestClass]
public class TerminalViewInTmuxTests
{
    private static readonly TimeSpan ScreenTimeout = TimeSpan.FromSeconds(60);

    [TestMethod]
    public void APersonTypesThePinRegistersPowerCyclesAndQuitsWithTheTerminalRestored()
    {
        Peer.Require("/usr/bin/tmux");
        using TestDirectory directory = new("terminal");
        using LoopbackElement controller = new(directory, "terminal-1", 70_000);

        // After the phone exits, the pane shows its exit code and the terminal modes it left behind.
        string phone = $"dotnet '{BuiltPrograms.Phone}' --terminal --mac 00:08:5d:aa:bb:02 --flash phone.flash --dhcp-server 127.0.0.1:{controller.DhcpPort} --dhcp-client-port 0";
        string afterExit = "echo \"phone exited $?\"; echo \"modes: $(stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?icanon\\|-\\?echo' | tr '\\n' ' ')\"; sleep 600";
        using TmuxSession pane = new(phone + "; " + afterExit, directory.Path, 80, 24);

        string screen = pane.WaitFor(s => s.Contains("|Enter PIN:", StringComparison.Ordinal), "the PIN prompt", ScreenTimeout);
        StringAssert.Contains(screen, "Prompting | mac 00:08:5d:aa:bb:02 | power-up 1");

        pane.Type("***10000");
        pane.Press("BSpace"); // the Backspace key takes the extra 0 back
        pane.Press("Enter"); // the Confirm key
        screen = pane.WaitFor(s => s.Contains("|DN 1000", StringComparison.Ordinal), "DN 1000", ScreenTimeout);
        StringAssert.Contains(screen, "|Lab set             |"); // the directory name under the DN
        StringAssert.Contains(screen, "last: in.service dn=1000");

        // A terminal too small for the screen gets its top-left corner, and the full screen comes back.
        pane.Resize(12, 4);
        screen = pane.WaitFor(s => s.StartsWith("+-----------\n|DN 1000", StringComparison.Ordinal), "the screen cut to 12x4", ScreenTimeout);
        Assert.IsFalse(screen.Contains("mac", StringComparison.Ordinal), "rows below the terminal were drawn:\n" + screen);
        pane.Resize(80, 24);
        pane.WaitFor(s => s.Contains("last: in.service dn=1000", StringComparison.Ordinal), "the full screen again", ScreenTimeout);

        // Power cycle: the stored PIN registers the set again without a prompt.
        pane.Type("p");
        screen = pane.WaitFor(s => s.Contains("Registered | mac 00:08:5d:aa:bb:02 | power-up 2", StringComparison.Ordinal), "registered after power-up 2", ScreenTimeout);
        StringAssert.Contains(screen, "|DN 1000");

        // Power up holding '*': the PIN is cleared, so the set prompts again.
        pane.Type("s");
        screen = pane.WaitFor(s => s.Contains("power-up 3 (* held)", StringComparison.Ordinal) && s.Contains("|Enter PIN:", StringComparison.Ordinal), "the PIN prompt after power-up 3 holding *", ScreenTimeout);
        StringAssert.Contains(screen, "Prompting");

        pane.Type("q");
        screen = pane.WaitFor(s => s.Contains("modes:", StringComparison.Ordinal), "the phone's exit", ScreenTimeout);
        StringAssert.Contains(screen, "phone exited 0");
        StringAssert.Contains(screen, "modes: icanon echo");
        Assert.IsFalse(screen.Contains("+--------------------+", StringComparison.Ordinal), "the drawn screen was left behind:\n" + screen);
    }

    [TestMethod]
    public void WithoutATerminalItSaysSoAndExitsTwo()
    {
        (int exitCode, string output) = ProcessRunner.Run("dotnet", BuiltPrograms.Phone + " --terminal", RepositoryPaths.Root, TimeSpan.FromSeconds(30));

        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "--terminal needs a terminal");
    }
}
