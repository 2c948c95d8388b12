using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Tests.Support;

namespace Tests.Esp32;

/// <summary>
/// Every nanoFramework project's references name the package packages.config restores and the
/// exact assembly version that package holds (hardware/nanoframework-versions.md), issue 16 item 1.
/// </summary>
[TestClass]
public class NfprojReferenceTests
{
    private const string Config = """
        <?xml version="1.0" encoding="utf-8"?>
        <packages>
          <package id="nanoFramework.System.Threading" version="VERSION" targetFramework="netnano1.0" />
        </packages>
        """;

    private const string Project = """
        <Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
          <ItemGroup>
            <Reference Include="System.Threading, Version=ASSEMBLY, Culture=neutral, PublicKeyToken=c07d481e9758c731">
              <HintPath>..\..\packages\nanoFramework.System.Threading.1.1.52\lib\System.Threading.dll</HintPath>
            </Reference>
          </ItemGroup>
        </Project>
        """;

    private static Dictionary<string, string> Table => NfprojReferenceCheck.ReadTable(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "hardware", "nanoframework-versions.md")));

    [TestMethod]
    public void EveryNfprojReferenceMatchesItsPackageAndTheRealAssemblyVersion()
    {
        List<string> problems = NfprojReferenceCheck.ProblemsInRepository(RepositoryPaths.Root);
        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
    }

    [TestMethod]
    public void TheCompileCheckUsesTheCoreLibraryTheDeviceProjectsRestore()
    {
        string root = RepositoryPaths.Root;
        string config = File.ReadAllText(Path.Combine(root, "PhoneFirmware", "Device", "packages.config"));
        Match restored = Regex.Match(config, "id=\"nanoFramework.CoreLibrary\" version=\"([0-9.]+)\"");
        Assert.IsTrue(restored.Success, "PhoneFirmware/Device/packages.config lists no CoreLibrary");
        foreach (string project in new[] { Path.Combine("Tests", "DeviceCompileCheck", "DeviceCompileCheck.csproj"), Path.Combine("Tests", "DeviceCompileCheck", "Stubs", "Stub.props") })
        {
            Match used = Regex.Match(File.ReadAllText(Path.Combine(root, project)), "<NanoFrameworkCoreLibraryVersion>([0-9.]+)</NanoFrameworkCoreLibraryVersion>");
            Assert.AreEqual(restored.Groups[1].Value, used.Groups[1].Value, project + " compiles against another mscorlib than the device restores");
        }
    }

    [TestMethod]
    public void TheTableKnowsSystemThreadingIsVersionedToTheRevision()
    {
        Assert.AreEqual("1.1.52.34401", Table["nanoFramework.System.Threading 1.1.52 System.Threading"]);
        Assert.AreEqual("1.11.54.0", Table["nanoFramework.System.Net 1.11.54 System.Net"]);
    }

    [TestMethod]
    public void TheRealVersionPasses()
    {
        List<string> problems = NfprojReferenceCheck.Problems("p", Project.Replace("ASSEMBLY", "1.1.52.34401"), Config.Replace("VERSION", "1.1.52"), Table);
        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
    }

    [TestMethod]
    public void ThePackageVersionWithDotZeroIsRefused()
    {
        List<string> problems = NfprojReferenceCheck.Problems("p", Project.Replace("ASSEMBLY", "1.1.52.0"), Config.Replace("VERSION", "1.1.52"), Table);
        Assert.AreEqual(1, problems.Count);
        StringAssert.Contains(problems[0], "holds 1.1.52.34401");
    }

    [TestMethod]
    public void APackageBumpThatForgetsTheReferenceIsRefused()
    {
        List<string> problems = NfprojReferenceCheck.Problems("p", Project.Replace("ASSEMBLY", "1.1.52.34401"), Config.Replace("VERSION", "1.1.53"), Table);
        Assert.AreEqual(1, problems.Count);
        StringAssert.Contains(problems[0], "packages.config restores 1.1.53");
    }

    [TestMethod]
    public void AReferenceWithoutAVersionIsRefused()
    {
        string project = Project.Replace("System.Threading, Version=ASSEMBLY, Culture=neutral, PublicKeyToken=c07d481e9758c731", "System.Threading");
        List<string> problems = NfprojReferenceCheck.Problems("p", project, Config.Replace("VERSION", "1.1.52"), Table);
        Assert.AreEqual(1, problems.Count);
        StringAssert.Contains(problems[0], "does not name Version");
    }

    [TestMethod]
    public void APackageNoReferenceUsesIsRefused()
    {
        string config = Config.Replace("VERSION", "1.1.52").Replace("</packages>", "  <package id=\"nanoFramework.System.Net\" version=\"1.11.54\" />\n</packages>");
        List<string> problems = NfprojReferenceCheck.Problems("p", Project.Replace("ASSEMBLY", "1.1.52.34401"), config, Table);
        Assert.AreEqual(1, problems.Count);
        StringAssert.Contains(problems[0], "no reference uses it");
    }
}
