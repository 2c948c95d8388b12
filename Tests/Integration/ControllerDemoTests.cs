using System;
using System.Diagnostics;
using Tests.Support;

namespace Tests.Integration;

/// <summary>`controller demo`, the README's main command: the seed document's example on two elements, in under 30 s.</summary>
[TestClass]
public class ControllerDemoTests
{
    [TestMethod]
    public void TheDemoShowsTheDocumentsExampleOnTwoElements()
    {
        using TestDirectory directory = new("controller-demo");
        Stopwatch watch = Stopwatch.StartNew();
        (int exit, string output) = ProcessRunner.Run("dotnet", BuiltPrograms.Controller + " demo --dir " + directory.Path, directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, output);
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(30), "took " + watch.Elapsed);
        StringAssert.Contains(output, "Remote Directory Numbers: 2004 on element 2");
        StringAssert.Contains(output, "registered as DN 1000, then re-registered from its stored PIN without a prompt");
        StringAssert.Contains(output, "was redirected to bench-2 for DN 2004 and registered there without a second prompt");
        StringAssert.Contains(output, "was told to clear its PIN: DN 1000 is in use");
        int redirect = output.IndexOf("<- Redirect to 127.0.0.1:", StringComparison.Ordinal);
        Assert.IsTrue(redirect > 0, output);
        StringAssert.Contains(output[redirect..], "controller bench-2: 00:08:5d:00:20:04 <- Registered dn=2004");
        StringAssert.Contains(output, "controller bench-1: 00:08:5d:00:10:01 <- ClearPin reason=DnInUse");
    }
}
