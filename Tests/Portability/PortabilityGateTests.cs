using System;
using System.Collections.Generic;
using System.IO;
using Tests.Support;

namespace Tests.Portability;

/// <summary>
/// The nanoFramework portability gate: the device sources, compiled against nanoFramework's
/// mscorlib by Tests/PortabilityGate (built with these tests), must contain nothing the device
/// cannot load; and the gate must reject planted violations, or it proves nothing.
/// </summary>
[TestClass]
public class PortabilityGateTests
{
    private const string CoreLibraryVersion = "1.17.11";

    private static string MscorlibPath => Path.Combine(RepositoryPaths.NuGetPackages, "nanoframework.corelibrary", CoreLibraryVersion, "lib", "mscorlib.dll");

    private static HashSet<string> AllowedGenerics => NanoFrameworkAssemblyChecker.GenericDelegatesOf(MscorlibPath);

    [TestMethod]
    public void DeviceSourcesCompileAgainstNanoFrameworkMscorlibAndLoadOnTheDevice()
    {
        string assembly = Path.Combine(RepositoryPaths.Root, "Tests", "PortabilityGate", "bin", RepositoryPaths.Configuration, "netstandard2.0", "PhoneFirmware.Portable.dll");
        Assert.IsTrue(File.Exists(assembly), "the gate build output is missing: " + assembly);
        List<string> violations = NanoFrameworkAssemblyChecker.FindViolations(assembly, AllowedGenerics);
        Assert.AreEqual(0, violations.Count, "nanoFramework cannot load: " + string.Join("; ", violations));
    }

    [TestMethod]
    public void TheDelegateAllowListComesFromNanoFrameworksOwnMscorlib()
    {
        HashSet<string> allowed = AllowedGenerics;
        Assert.IsTrue(allowed.Contains("System.Action`1"), "Action<T> is defined by nanoFramework's mscorlib");
        Assert.IsFalse(allowed.Contains("System.Collections.Generic.List`1"));
    }

    [TestMethod]
    public void GateBuildRejectsAListOfInt()
    {
        (int exitCode, string output, _) = BuildWithPlant("using System.Collections.Generic; namespace Planted { public static class P { public static int Count() { List<int> l = new List<int>(); return l.Count; } } }");
        Assert.AreNotEqual(0, exitCode, "a List<int> must not compile against nanoFramework's mscorlib");
        Assert.IsTrue(output.Contains("CS0234", StringComparison.Ordinal) || output.Contains("CS0246", StringComparison.Ordinal), output);
    }

    [TestMethod]
    public void GateBuildRejectsSystemTextEncoding()
    {
        (int exitCode, string output, _) = BuildWithPlant("namespace Planted { public static class P { public static byte[] B(string s) { return System.Text.Encoding.UTF8.GetBytes(s); } } }");
        Assert.AreNotEqual(0, exitCode, "System.Text.Encoding is not in nanoFramework's mscorlib");
        Assert.IsTrue(output.Contains("error CS", StringComparison.Ordinal), output);
    }

    [TestMethod]
    public void MetadataCheckRejectsWhatCompilesButCannotLoad()
    {
        (int exitCode, string output, string assembly) = BuildWithPlant(
            "namespace Planted { public sealed class Box<T> { public T? Value; } public static class P { public static T Same<T>(T v) { return v; } public static int Use() { Box<int> b = new Box<int>(); b.Value = Same(3); return b.Value; } } }");
        Assert.AreEqual(0, exitCode, "a generic type compiles against mscorlib; only the metadata check can catch it:\n" + output);
        List<string> violations = NanoFrameworkAssemblyChecker.FindViolations(assembly, AllowedGenerics);
        Assert.IsTrue(violations.Contains("defines generic type Planted.Box`1"), string.Join("; ", violations));
        Assert.IsTrue(violations.Contains("defines generic method Planted.P.Same"), string.Join("; ", violations));
        Assert.IsTrue(violations.Exists(v => v.StartsWith("instantiates generic type Planted.Box`1", StringComparison.Ordinal)), string.Join("; ", violations));
        Assert.IsTrue(violations.Exists(v => v.StartsWith("instantiates generic method", StringComparison.Ordinal)), string.Join("; ", violations));
    }

    [TestMethod]
    public void MetadataCheckRejectsIteratorStateMachines()
    {
        (int exitCode, string output, string assembly) = BuildWithPlant(
            "namespace Planted { public static class P { public static System.Collections.IEnumerable Numbers() { yield return 1; } } }");

        // The compiler's iterator class also implements IEnumerable<object>, which nanoFramework's
        // mscorlib lacks, so today the compile itself refuses it; the metadata check is the backstop.
        if (exitCode != 0)
        {
            Assert.IsTrue(output.Contains("IEnumerable`1", StringComparison.Ordinal), output);
            return;
        }

        List<string> violations = NanoFrameworkAssemblyChecker.FindViolations(assembly, AllowedGenerics);
        Assert.IsTrue(violations.Exists(v => v.StartsWith("IteratorStateMachine", StringComparison.Ordinal)), string.Join("; ", violations));
    }

    // Builds a copy of the gate project, elsewhere so the real build output is untouched, with one planted file.
    private static (int ExitCode, string Output, string Assembly) BuildWithPlant(string source)
    {
        string directory = Path.Combine(Path.GetTempPath(), "portability-plant-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, "Tests", "PortabilityGate", "PortabilityGate.csproj"), Path.Combine(directory, "PortabilityGate.csproj"));
            string planted = Path.Combine(directory, "Planted.cs.txt");
            File.WriteAllText(planted, source);
            string root = RepositoryPaths.Root + Path.DirectorySeparatorChar;
            (int exitCode, string output) = ProcessRunner.Run(
                "dotnet",
                $"build PortabilityGate.csproj -nologo -v:q -p:RepoRoot={root} -p:PlantedSource={planted} -o out",
                directory,
                TimeSpan.FromMinutes(3));
            string assembly = Path.Combine(directory, "out", "PhoneFirmware.Portable.dll");
            string copy = Path.Combine(Path.GetTempPath(), "portability-plant-" + Guid.NewGuid().ToString("N") + ".dll");
            if (File.Exists(assembly))
            {
                File.Copy(assembly, copy);
            }

            return (exitCode, output, copy);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
