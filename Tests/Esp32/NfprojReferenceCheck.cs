using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Tests.Esp32;

/// <summary>
/// Compares a <c>.nfproj</c>'s assembly references with the <c>packages.config</c> beside it and
/// with the table of real assembly versions (hardware/nanoframework-versions.md): every
/// reference names the package version its packages.config restores and the exact assembly
/// version that package holds, and every package is referenced.
/// </summary>
public static partial class NfprojReferenceCheck
{
    public const string PublicKeyToken = "c07d481e9758c731";

    /// <summary>(package, package version, assembly) → assembly version, from the markdown table.</summary>
    public static Dictionary<string, string> ReadTable(string markdown)
    {
        Dictionary<string, string> table = new(StringComparer.Ordinal);
        foreach (string raw in markdown.Split('\n'))
        {
            string line = raw.Trim();
            if (!line.StartsWith("| nanoFramework.", StringComparison.Ordinal))
            {
                continue;
            }

            string[] cells = line.Split('|');
            if (cells.Length < 6)
            {
                throw new FormatException("table row without five cells: " + line);
            }

            string key = Key(cells[1].Trim(), cells[2].Trim(), cells[3].Trim());
            if (!table.TryAdd(key, cells[4].Trim()))
            {
                throw new FormatException("table row twice: " + key);
            }
        }

        return table;
    }

    public static List<string> Problems(string projectName, string nfproj, string packagesConfig, Dictionary<string, string> table)
    {
        List<string> problems = new();
        Dictionary<string, string> packages = new(StringComparer.Ordinal);
        foreach (XElement package in XDocument.Parse(packagesConfig).Descendants("package"))
        {
            string id = (string?)package.Attribute("id") ?? string.Empty;
            packages[id] = (string?)package.Attribute("version") ?? string.Empty;
        }

        HashSet<string> referenced = new(StringComparer.Ordinal);
        foreach (XElement reference in XDocument.Parse(nfproj).Descendants())
        {
            if (reference.Name.LocalName != "Reference")
            {
                continue;
            }

            string include = (string?)reference.Attribute("Include") ?? string.Empty;
            string hintPath = string.Empty;
            foreach (XElement child in reference.Elements())
            {
                if (child.Name.LocalName == "HintPath")
                {
                    hintPath = child.Value;
                }
            }

            Match hint = HintPathPattern().Match(hintPath);
            if (!hint.Success)
            {
                problems.Add(projectName + ": reference " + include + " has no packages\\<id>.<version>\\lib\\ hint path");
                continue;
            }

            string id = hint.Groups["id"].Value;
            string version = hint.Groups["version"].Value;
            string file = hint.Groups["file"].Value;
            referenced.Add(id);
            if (!packages.TryGetValue(id, out string? restored))
            {
                problems.Add(projectName + ": " + file + " comes from " + id + ", which packages.config does not list");
            }
            else if (restored != version)
            {
                problems.Add(projectName + ": " + file + "'s hint path names " + id + " " + version + " but packages.config restores " + restored);
            }

            Match name = ReferenceNamePattern().Match(include);
            if (!name.Success)
            {
                problems.Add(projectName + ": reference '" + include + "' does not name Version, Culture=neutral and PublicKeyToken=" + PublicKeyToken);
                continue;
            }

            if (name.Groups["name"].Value != file)
            {
                problems.Add(projectName + ": reference " + name.Groups["name"].Value + " points at " + file);
            }

            if (!table.TryGetValue(Key(id, version, file), out string? real))
            {
                problems.Add(projectName + ": hardware/nanoframework-versions.md has no row for " + id + " " + version + " " + file);
            }
            else if (name.Groups["version"].Value != real)
            {
                problems.Add(projectName + ": " + file + " is referenced as Version=" + name.Groups["version"].Value + "; package " + id + " " + version + " holds " + real);
            }
        }

        foreach (KeyValuePair<string, string> package in packages)
        {
            if (!referenced.Contains(package.Key))
            {
                problems.Add(projectName + ": packages.config restores " + package.Key + " " + package.Value + " but no reference uses it");
            }
        }

        return problems;
    }

    public static List<string> ProblemsInRepository(string root)
    {
        Dictionary<string, string> table = ReadTable(File.ReadAllText(Path.Combine(root, "hardware", "nanoframework-versions.md")));
        List<string> problems = new();
        foreach (string nfproj in Directory.EnumerateFiles(root, "*.nfproj", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, nfproj);
            string packagesConfig = Path.Combine(Path.GetDirectoryName(nfproj)!, "packages.config");
            if (!File.Exists(packagesConfig))
            {
                problems.Add(relative + ": no packages.config beside it");
                continue;
            }

            problems.AddRange(Problems(relative, File.ReadAllText(nfproj), File.ReadAllText(packagesConfig), table));
        }

        return problems;
    }

    private static string Key(string package, string packageVersion, string assembly)
    {
        return package + " " + packageVersion + " " + assembly;
    }

    [GeneratedRegex(@"packages\\(?<id>[A-Za-z][A-Za-z0-9.]*?)\.(?<version>\d+\.\d+\.\d+)\\lib\\(?<file>[A-Za-z0-9.]+)\.(dll|exe)$")]
    private static partial Regex HintPathPattern();

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9.]+), Version=(?<version>\d+\.\d+\.\d+\.\d+), Culture=neutral, PublicKeyToken=c07d481e9758c731$")]
    private static partial Regex ReferenceNamePattern();
}
