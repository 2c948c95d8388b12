using System.Collections.Generic;
using System.IO;
using Tests.Support;

namespace Tests.Portability;

/// <summary>
/// The device code (Hal/Esp32, PhoneFirmware/Device) with the portable sources, as built by
/// Tests/DeviceCompileCheck against nanoFramework's mscorlib and stubs of the nanoFramework
/// libraries: it compiled (or this test project would not have built), and it holds nothing the
/// device cannot load and references nothing but mscorlib and those libraries.
/// </summary>
[TestClass]
public class DeviceCompileCheckTests
{
    private const string CoreLibraryVersion = "1.17.11";

    // The nanoFramework libraries the device project references (PhoneFirmware/Device/packages.config).
    private static readonly HashSet<string> DeviceLibraries = new()
    {
        "System.Net",
        "System.Device.Gpio",
        "System.Device.I2c",
        "System.IO.FileSystem",
        "System.IO.Streams",
        "System.IO.Ports",
        "nanoFramework.Hardware.Esp32",
        "System.Threading",
        "System.Device.Wifi",
    };

    private static string CheckOutput => Path.Combine(RepositoryPaths.Root, "Tests", "DeviceCompileCheck", "bin", RepositoryPaths.Configuration, "netstandard2.0");

    [TestMethod]
    public void DeviceCodeLoadsOnTheDevice()
    {
        string assembly = Path.Combine(CheckOutput, "PhoneFirmware.DeviceCheck.dll");
        Assert.IsTrue(File.Exists(assembly), "the device compile check output is missing: " + assembly);
        string mscorlib = Path.Combine(RepositoryPaths.NuGetPackages, "nanoframework.corelibrary", CoreLibraryVersion, "lib", "mscorlib.dll");
        List<string> violations = NanoFrameworkAssemblyChecker.FindViolations(assembly, NanoFrameworkAssemblyChecker.GenericDelegatesOf(mscorlib), DeviceLibraries);
        Assert.AreEqual(0, violations.Count, "nanoFramework cannot load: " + string.Join("; ", violations));
    }

    [TestMethod]
    public void SharedTestSourcesBuiltForNanoFrameworkTestFrameworkLoadOnTheDevice()
    {
        string assembly = Path.Combine(RepositoryPaths.Root, "Tests", "DeviceCompileCheck", "TestSources", "bin", RepositoryPaths.Configuration, "netstandard2.0", "Tests.Device.Check.dll");
        Assert.IsTrue(File.Exists(assembly), "the device test sources check output is missing: " + assembly);
        string mscorlib = Path.Combine(RepositoryPaths.NuGetPackages, "nanoframework.corelibrary", CoreLibraryVersion, "lib", "mscorlib.dll");
        List<string> violations = NanoFrameworkAssemblyChecker.FindViolations(assembly, NanoFrameworkAssemblyChecker.GenericDelegatesOf(mscorlib), new HashSet<string> { "nanoFramework.TestFramework" });
        Assert.AreEqual(0, violations.Count, "nanoFramework cannot load: " + string.Join("; ", violations));
    }

    [TestMethod]
    public void EachStubIsBuiltUnderItsUpstreamAssemblyName()
    {
        foreach (string library in DeviceLibraries)
        {
            Assert.IsTrue(File.Exists(Path.Combine(CheckOutput, library + ".dll")), "stub for " + library + " is missing from " + CheckOutput);
        }
    }

    [TestMethod]
    public void TheCheckerStillRejectsAnUnlistedReference()
    {
        string assembly = Path.Combine(CheckOutput, "PhoneFirmware.DeviceCheck.dll");
        List<string> violations = NanoFrameworkAssemblyChecker.FindViolations(assembly, new HashSet<string>(), new HashSet<string>());
        Assert.IsTrue(violations.Exists(v => v.StartsWith("references assembly System.Net", System.StringComparison.Ordinal)), string.Join("; ", violations));
    }
}
