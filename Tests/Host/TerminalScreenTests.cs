using PhoneFirmware.Host.Terminal;

namespace Tests.Host;

/// <summary>The terminal view's layout: display state in, terminal rows out.</summary>
[TestClass]
public class TerminalScreenTests
{
    private static readonly TerminalFrame Registered = new(new[] { "DN 1000", "Registered" }, 20, -1, "Registered | mac 00:08:5d:00:00:01 | power-up 1", "registered dn=1000");

    [TestMethod]
    public void DrawsTheDisplayInABoxWithTheStatusBelow()
    {
        string[] rows = TerminalScreen.Render(Registered, 80, 24);

        CollectionAssert.AreEqual(
            new[]
            {
                "+--------------------+",
                "|DN 1000             |",
                "|Registered          |",
                "|                    |",
                "+--------------------+",
                "Registered | mac 00:08:5d:00:00:01 | power-up 1",
                "last: registered dn=1000",
                TerminalScreen.KeyHelp,
            },
            rows);
    }

    [TestMethod]
    public void DrawsTheProgressBarOnTheRowBelowTheText()
    {
        TerminalFrame downloading = Registered with { DisplayLines = new[] { "TFTP", "Downloading 45%" }, ProgressPercent = 45 };

        string[] rows = TerminalScreen.Render(downloading, 80, 24);

        Assert.AreEqual("|[######--------] 45%|", rows[3]);
        Assert.AreEqual("[#############] 100%", TerminalScreen.ProgressBar(100, 20));
        Assert.AreEqual("[--------------] 0%", TerminalScreen.ProgressBar(0, 19));
        Assert.AreEqual("    ", TerminalScreen.ProgressBar(-1, 4));
        Assert.AreEqual("45%", TerminalScreen.ProgressBar(45, 3));
    }

    [TestMethod]
    public void ASmallTerminalCutsRowsAndDropsTheOnesThatDoNotFit()
    {
        string[] rows = TerminalScreen.Render(Registered, 8, 3);

        CollectionAssert.AreEqual(new[] { "+-------", "|DN 1000", "|Registe" }, rows);
        Assert.AreEqual(0, TerminalScreen.Render(Registered, 0, 24).Length);
        Assert.AreEqual(0, TerminalScreen.Render(Registered, 80, 0).Length);
    }

    [TestMethod]
    public void KeypadKeysGoToThePhoneAndLettersControlTheBench()
    {
        foreach (char key in "0123456789*#")
        {
            Assert.AreEqual(TerminalCommand.Keypad, TerminalKeys.Map(key), "key " + key);
        }

        Assert.AreEqual(TerminalCommand.Keypad, TerminalKeys.Map('\r'));
        Assert.AreEqual(Hal.Keys.Confirm, TerminalKeys.ToKeypadKey('\r'), "Enter in raw mode");
        Assert.AreEqual(Hal.Keys.Confirm, TerminalKeys.ToKeypadKey('\n'), "the end of a piped line");
        Assert.AreEqual(Hal.Keys.Backspace, TerminalKeys.ToKeypadKey('\b'));
        Assert.AreEqual(Hal.Keys.Backspace, TerminalKeys.ToKeypadKey('\x7f'), "terminals that send DEL for Backspace");
        Assert.AreEqual('#', TerminalKeys.ToKeypadKey('#'));
        Assert.AreEqual(Hal.Keys.None, TerminalKeys.ToKeypadKey('x'));
        Assert.AreEqual(TerminalCommand.PowerCycle, TerminalKeys.Map('p'));
        Assert.AreEqual(TerminalCommand.PowerCycleHoldingStar, TerminalKeys.Map('S'));
        Assert.AreEqual(TerminalCommand.Quit, TerminalKeys.Map('q'));
        Assert.AreEqual(TerminalCommand.None, TerminalKeys.Map('x'));
        Assert.AreEqual(TerminalCommand.None, TerminalKeys.Map('A'));
    }
}
