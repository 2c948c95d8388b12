using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace RegistrationStorm;

/// <summary>What one `phone fleet` run measured (its --summary-json), with the pace the elements served it at.</summary>
public sealed class FleetResult
{
    public int ExitCode { get; init; }

    public double WallSeconds { get; init; }

    public int Registered { get; init; }

    public int Redirected { get; init; }

    public int Failed { get; init; }

    public string Reasons { get; init; } = string.Empty;

    public long RegistrationP50 { get; init; }

    public long RegistrationP99 { get; init; }

    public long DhcpP99 { get; init; }

    public long HeldBytesPerPhone { get; init; }

    /// <summary>CPU seconds (user + system) of the fleet process, -1 without /usr/bin/time.</summary>
    public double CpuSeconds { get; init; } = -1;

    public long PeakResidentBytes { get; init; } = -1;

    /// <summary>Registered replies the elements sent, and the time from the first to the last (set by the caller).</summary>
    public int PaceCount { get; set; }

    public double PaceSeconds { get; set; }

    public double Rate => PaceSeconds > 0 ? PaceCount / PaceSeconds : 0;
}

/// <summary>
/// The fleet beside the load generator: `phone fleet` (the phone's full portable core, one per
/// phone, on a few threads) with stored PINs and no boot files: each phone leases an address from
/// element A's DHCP server (loopback), then registers at A and follows its redirect to B.
/// </summary>
public static class FleetRun
{
    public static FleetResult Run(string phone, int phones, int dhcpPort, string directory)
    {
        string summary = Path.Combine(directory, "fleet-summary.json");
        string timing = Path.Combine(directory, "fleet.time");
        File.Delete(summary);
        File.Delete(timing);
        bool timed = File.Exists("/usr/bin/time");
        ProcessStartInfo start = new(timed ? "/usr/bin/time" : "dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        List<string> arguments = new();
        if (timed)
        {
            arguments.AddRange(new[] { "-f", "%e %U %S %M", "-o", timing, "dotnet" });
        }

        arguments.AddRange(new[]
        {
            Path.GetFullPath(phone), "fleet", "--count", phones.ToString(CultureInfo.InvariantCulture),
            "--mac-base", Servers.MacBase, "--dn-base", Servers.FirstDn.ToString(CultureInfo.InvariantCulture),
            "--pin-pattern", "***{dn}", "--pins", "stored", "--no-boot-files",
            "--dhcp-server", "127.0.0.1:" + dhcpPort.ToString(CultureInfo.InvariantCulture),
            "--summary-json", summary, "--no-progress",
        });
        arguments.ForEach(start.ArgumentList.Add);
        using Process fleet = Process.Start(start) ?? throw new InvalidOperationException("cannot start phone fleet");
        System.Threading.Tasks.Task<string> log = fleet.StandardError.ReadToEndAsync();
        _ = fleet.StandardOutput.ReadToEndAsync();
        fleet.WaitForExit();
        if (!File.Exists(summary))
        {
            throw new InvalidOperationException("phone fleet wrote no summary (exit " + fleet.ExitCode + "): " + log.Result.Trim());
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(summary));
        JsonElement root = json.RootElement;
        JsonElement phases = root.GetProperty("phaseMilliseconds");
        List<string> reasons = new();
        foreach (JsonProperty reason in root.GetProperty("failedByReason").EnumerateObject())
        {
            reasons.Add(reason.Name + " " + reason.Value.GetInt32().ToString(CultureInfo.InvariantCulture));
        }

        string[] time = timed && File.Exists(timing) ? File.ReadAllLines(timing)[^1].Split(' ') : Array.Empty<string>();
        return new FleetResult
        {
            ExitCode = fleet.ExitCode,
            WallSeconds = root.GetProperty("wallMilliseconds").GetInt64() / 1000.0,
            Registered = root.GetProperty("registered").GetInt32(),
            Redirected = root.GetProperty("redirected").GetInt32(),
            Failed = root.GetProperty("failed").GetInt32(),
            Reasons = string.Join(", ", reasons),
            RegistrationP50 = phases.GetProperty("registration").GetProperty("p50").GetInt64(),
            RegistrationP99 = phases.GetProperty("registration").GetProperty("p99").GetInt64(),
            DhcpP99 = phases.GetProperty("dhcp").GetProperty("p99").GetInt64(),
            HeldBytesPerPhone = root.GetProperty("heldBytesPerRegisteredPhone").GetInt64(),
            CpuSeconds = time.Length == 4 ? double.Parse(time[1], CultureInfo.InvariantCulture) + double.Parse(time[2], CultureInfo.InvariantCulture) : -1,
            PeakResidentBytes = time.Length == 4 ? long.Parse(time[3], CultureInfo.InvariantCulture) * 1024 : -1,
        };
    }
}
