using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Tests.Support;

namespace Tests.Portability;

/// <summary>
/// The .nfproj projects cannot be built here, but their paths and their place in PhoneFirmware.sln
/// can be checked: a moved folder or a missed `..\` would otherwise only show in Visual Studio.
/// </summary>
[TestClass]
public partial class DeviceProjectFilesTests
{
    [TestMethod]
    public void EveryPathInADeviceProjectPointsAtSourcesOrTheSolutionsPackagesFolder()
    {
        string root = RepositoryPaths.Root;
        List<string> problems = new();
        string[] projects = Directory.GetFiles(root, "*.nfproj", SearchOption.AllDirectories);
        Assert.AreEqual(6, projects.Length, string.Join(", ", projects));
        foreach (string project in projects)
        {
            string directory = Path.GetDirectoryName(project)!;
            foreach (Match match in ProjectPath().Matches(File.ReadAllText(project)))
            {
                string path = Path.GetFullPath(Path.Combine(directory, match.Groups["path"].Value.Replace('\\', '/')));
                string relative = Path.GetRelativePath(root, path);
                bool found = match.Groups["kind"].Value == "HintPath"
                    ? relative.StartsWith("packages/", StringComparison.Ordinal)
                    : Directory.Exists(path.Split('*')[0]) || File.Exists(path);
                if (!found)
                {
                    problems.Add(Path.GetRelativePath(root, project) + ": " + match.Groups["path"].Value);
                }
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
    }

    [TestMethod]
    public void TheSolutionBuildsDeviceProjectsOnlyForTheNanoFrameworkPlatform()
    {
        string solution = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "PhoneFirmware.sln"));
        MatchCollection devices = DeviceProject().Matches(solution);
        Assert.AreEqual(6, devices.Count);
        foreach (Match device in devices)
        {
            string guid = device.Groups["guid"].Value;
            Assert.IsTrue(File.Exists(Path.Combine(RepositoryPaths.Root, device.Groups["path"].Value.Replace('\\', '/'))), device.Value);
            foreach (string configuration in new[] { "Debug", "Release" })
            {
                StringAssert.Contains(solution, guid + "." + configuration + "|nanoFramework.Build.0 = " + configuration + "|Any CPU");
                Assert.IsFalse(solution.Contains(guid + "." + configuration + "|Any CPU.Build.0", StringComparison.Ordinal), "the .NET SDK would try to build " + device.Value);
            }
        }
    }

    [GeneratedRegex(@"<(?<kind>HintPath)>(?<path>[^<]+)</HintPath>|(?<kind>ProjectReference|Compile) Include=""(?<path>[^""]+)""")]
    private static partial Regex ProjectPath();

    [GeneratedRegex(@"Project\(""\{11A8DD76-328B-46DF-9F39-F559912D0360\}""\) = ""[^""]+"", ""(?<path>[^""]+)"", ""(?<guid>\{[^}]+\})""")]
    private static partial Regex DeviceProject();
}
