using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using DhcpBench;

namespace BootStorm;

/// <summary>What one storm measured: the fleet's summary (--summary-json), its process's CPU and
/// peak memory (GNU time), and each element's CPU time and peak resident set during the storm.</summary>
public sealed class StormResult
{
    public string Kind { get; init; } = string.Empty;

    public int Phones { get; init; }

    public int ExitCode { get; init; }

    public double WallSeconds { get; init; }

    public int Registered { get; init; }

    public int Redirected { get; init; }

    public int Typed { get; init; }

    public int Failed { get; init; }

    public string FailedByReason { get; init; } = string.Empty;

    /// <summary>Phase name (dhcp, tftp, registration, total) → per-phone p50 and p99 in ms.</summary>
    public Dictionary<string, (long P50, long P99)> Phases { get; init; } = new();

    public long HeldBytesPerPhone { get; init; }

    public double FleetCpuSeconds { get; init; }

    public long FleetPeakResidentBytes { get; init; }

    public double[] ElementCpuSeconds { get; init; } = Array.Empty<double>();

    public long[] ElementPeakResidentBytes { get; init; } = Array.Empty<long>();

    public (long P50, long P99) Phase(string name)
    {
        return Phases.TryGetValue(name, out (long, long) value) ? value : (-1, -1);
    }
}

/// <summary>
/// One storm: `phone fleet` in the client namespace as a DHCP relay at the client address,
/// every phone powered up at once against the cluster. Cold: empty flash, the PIN typed at the
/// prompt, the manifest and the image fetched. Warm: the PIN stored and the image current (its
/// version recorded in each phone's flash, `--installed-image`): the manifest, then registration.
/// </summary>
public static class FleetStorm
{
    public const string MacBase = "00:08:5d:10:00:00";

    public static StormResult Run(string kind, NamespacePair pair, Cluster cluster, Settings settings, string directory)
    {
        string summary = Path.Combine(directory, "fleet-" + kind + ".json");
        string timing = Path.Combine(directory, "fleet-" + kind + ".time");
        File.Delete(summary);
        List<string> arguments = new()
        {
            "netns", "exec", pair.ClientNamespace, "/usr/bin/time", "-f", "%e %U %S %M", "-o", timing,
            "dotnet", Path.GetFullPath(settings.Phone), "fleet",
            "--count", settings.Count.ToString(CultureInfo.InvariantCulture),
            "--mac-base", MacBase,
            "--dn-base", Cluster.FirstDn.ToString(CultureInfo.InvariantCulture),
            "--pin-pattern", "***{dn}",
            "--pins", kind == "cold" ? "typed" : "stored",
            "--relay", pair.ClientAddress,
            "--dhcp-server", pair.ServerAddress,
            "--threads", settings.Threads.ToString(CultureInfo.InvariantCulture),
            "--timeout", settings.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            "--summary-json", summary,
            "--no-progress",
        };
        if (kind == "warm")
        {
            // Image current, as after a power cut: the manifest names the installed version, so boot.img is skipped.
            arguments.Add("--installed-image");
            arguments.Add(cluster.ImageVersion);
        }

        ProcessStartInfo start = new("/usr/sbin/ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        arguments.ForEach(start.ArgumentList.Add);
        ProcessSample[] before = new ProcessSample[cluster.Elements.Count];
        long[] peak = new long[cluster.Elements.Count];
        for (int e = 0; e < before.Length; e++)
        {
            before[e] = cluster.Elements[e].Sample();
        }

        Console.Error.WriteLine($"boot-storm: {kind} storm, {settings.Count} phones...");
        using Process fleet = Process.Start(start) ?? throw new InvalidOperationException("cannot start phone fleet");
        System.Threading.Tasks.Task<string> output = fleet.StandardError.ReadToEndAsync();
        _ = fleet.StandardOutput.ReadToEndAsync();
        while (!fleet.WaitForExit(100))
        {
            for (int e = 0; e < peak.Length; e++)
            {
                peak[e] = Math.Max(peak[e], cluster.Elements[e].Sample().ResidentBytes);
            }
        }

        double[] cpu = new double[before.Length];
        for (int e = 0; e < before.Length; e++)
        {
            ProcessSample after = cluster.Elements[e].Sample();
            cpu[e] = after.CpuSeconds - before[e].CpuSeconds;
            peak[e] = Math.Max(peak[e], after.ResidentBytes);
        }

        string log = output.Result;
        File.WriteAllText(Path.Combine(directory, "fleet-" + kind + ".log"), log);
        Console.Error.Write(Indent(log));
        if (!File.Exists(summary))
        {
            throw new InvalidOperationException("phone fleet (" + kind + ") wrote no summary; exit " + fleet.ExitCode + ": " + log.Trim());
        }

        string[] time = File.ReadAllLines(timing)[^1].Split(' ');
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(summary));
        JsonElement root = json.RootElement;
        Dictionary<string, (long, long)> phases = new();
        foreach (JsonProperty phase in root.GetProperty("phaseMilliseconds").EnumerateObject())
        {
            phases[phase.Name] = (phase.Value.GetProperty("p50").GetInt64(), phase.Value.GetProperty("p99").GetInt64());
        }

        List<string> reasons = new();
        foreach (JsonProperty reason in root.GetProperty("failedByReason").EnumerateObject())
        {
            reasons.Add(reason.Name + " " + reason.Value.GetInt32().ToString(CultureInfo.InvariantCulture));
        }

        return new StormResult
        {
            Kind = kind,
            Phones = root.GetProperty("phones").GetInt32(),
            ExitCode = fleet.ExitCode,
            WallSeconds = root.GetProperty("wallMilliseconds").GetInt64() / 1000.0,
            Registered = root.GetProperty("registered").GetInt32(),
            Redirected = root.GetProperty("redirected").GetInt32(),
            Typed = root.GetProperty("typed").GetInt32(),
            Failed = root.GetProperty("failed").GetInt32(),
            FailedByReason = string.Join(", ", reasons),
            Phases = phases,
            HeldBytesPerPhone = root.GetProperty("heldBytesPerRegisteredPhone").GetInt64(),
            FleetCpuSeconds = double.Parse(time[1], CultureInfo.InvariantCulture) + double.Parse(time[2], CultureInfo.InvariantCulture),
            FleetPeakResidentBytes = long.Parse(time[3], CultureInfo.InvariantCulture) * 1024,
            ElementCpuSeconds = cpu,
            ElementPeakResidentBytes = peak,
        };
    }

    private static string Indent(string text)
    {
        return string.Concat(Array.ConvertAll(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => "  fleet: " + line + "\n"));
    }
}
