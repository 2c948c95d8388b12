using PhoneFirmware.Host;

namespace Tests.Host;

/// <summary>`phone --terminal` on the command line.</summary>
[TestClass]
public class TerminalOptionsTests
{
    [TestMethod]
    public void TerminalIsAFlagThatKeepsTheOtherOptions()
    {
        PhoneOptions options = PhoneOptions.Parse(new[] { "--terminal", "--hold-star", "--exit-after", "registered" });

        Assert.IsTrue(options.Terminal);
        Assert.IsTrue(options.HoldStar);
        Assert.AreEqual("registered", options.ExitAfter);
        Assert.IsFalse(PhoneOptions.Parse(new[] { "--hold-star" }).Terminal);
    }

    [TestMethod]
    public void TerminalRefusesToShareStdoutWithEvents()
    {
        UsageException error = Assert.Throws<UsageException>(() => PhoneOptions.Parse(new[] { "--events", "json", "--terminal" }));

        StringAssert.Contains(error.Message, "--terminal");
        StringAssert.Contains(error.Message, "--events");
    }

    [TestMethod]
    public void TerminalAndTestPortAreOneOrTheOther()
    {
        UsageException error = Assert.Throws<UsageException>(() => PhoneOptions.Parse(new[] { "--terminal", "--test-port", "/dev/pts/9" }));

        StringAssert.Contains(error.Message, "--test-port");
    }
}
