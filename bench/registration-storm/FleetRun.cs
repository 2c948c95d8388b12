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
    /// <summary>Fleet processes (shards) this result adds up.</summary>
    public int Shards { get; init; } = 1;

    public int ExitCode { get; init; }

    public double WallSeconds { get; init; }

    public int Registered { get; init; }

    public int Redirected { get; init; }

    public int Failed { get; init; }

    public string Reasons { get; init; } = string.Empty;

    public long RegistrationP50 { get; init; }

    public long RegistrationP99 { get; init; }

    public long HeldBytesPerPhone { get; init; }

    /// <summary>Milliseconds from the fleet's power-up to its last phone's registered event (the slowest shard's).</summary>
    public long LastRegisteredMilliseconds { get; init; }

    /// <summary>The fleet's loop until the phones settled, summed over shards (its summary's `loop`).</summary>
    public long LoopRegistered { get; init; }

    public long Steps { get; init; }

    public long Waits { get; init; }

    public long ReadySockets { get; init; }

    public long Wakes { get; init; }

    public long WorkerAllocatedBytes { get; init; }

    public long ProcessAllocatedBytes { get; init; }

    /// <summary>CPU seconds (user + system) of the fleet process, -1 without /usr/bin/time.</summary>
    public double CpuSeconds { get; init; } = -1;

    public long PeakResidentBytes { get; init; } = -1;

    /// <summary>Registered replies the elements sent, the time from the first to the last, and the frames each way (set by the caller).</summary>
    public PaceReading Pace { get; set; } = new();

    public double Rate => Pace.Rate;

    /// <summary>The fleet's own rate: phones registered ÷ power-up to the last registered event.</summary>
    public double OwnRate => LastRegisteredMilliseconds > 0 ? Registered * 1000.0 / LastRegisteredMilliseconds : 0;

    /// <summary>Per phone registered when the fleet's loop counters were taken.</summary>
    public double PerPhone(long count)
    {
        return LoopRegistered == 0 ? 0 : (double)count / LoopRegistered;
    }
}

/// <summary>
/// The fleet beside the load generator, doing what its clients do: `phone fleet` (the phone's full
/// portable core, one per phone, on a few threads) with stored PINs, no DHCP (`--no-dhcp`, the
/// call server element A: every phone registers from power-up, as every client of the load
/// generator connects at its start) and no boot files, at most the same number of phones between
/// power-up and registered (`--window`, the load generator's --concurrency); each phone registers
/// at A and follows its redirect to B. One process with a worker per processor, as the load
/// generator is one process on the thread pool; only when the open-file limit cannot hold a link
/// per phone is the fleet split into shards (`--shard K/N`), started together, the window split.
/// </summary>
public static class FleetRun
{
    public static FleetResult Run(string phone, int phones, int registrationPort, int window, string directory)
    {
        int shards = Shards(phones);
        List<Process> processes = new();
        List<System.Threading.Tasks.Task<string>> logs = new();
        for (int shard = 1; shard <= shards; shard++)
        {
            processes.Add(Start(phone, phones, registrationPort, Math.Max(1, window / shards), directory, shard, shards));
            logs.Add(processes[^1].StandardError.ReadToEndAsync());
            _ = processes[^1].StandardOutput.ReadToEndAsync();
        }

        processes.ForEach(p => p.WaitForExit());
        List<FleetResult> results = new();
        for (int shard = 1; shard <= shards; shard++)
        {
            results.Add(Read(directory, shard, processes[shard - 1].ExitCode, logs[shard - 1].Result));
            processes[shard - 1].Dispose();
        }

        return Merge(results);
    }

    // One descriptor a phone (its link; no DHCP socket) and some to spare, under the soft limit.
    private static int Shards(int phones)
    {
        long limit = 1024;
        foreach (string line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                string soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                limit = soft == "unlimited" ? long.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
            }
        }

        long perShard = Math.Max(100, limit - 1000);
        return (int)Math.Max(1, (phones + perShard - 1) / perShard);
    }

    private static Process Start(string phone, int phones, int registrationPort, int window, string directory, int shard, int shards)
    {
        string summary = Path.Combine(directory, "fleet-summary-" + shard.ToString(CultureInfo.InvariantCulture) + ".json");
        string timing = Path.Combine(directory, "fleet-" + shard.ToString(CultureInfo.InvariantCulture) + ".time");
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
            "--shard", shard.ToString(CultureInfo.InvariantCulture) + "/" + shards.ToString(CultureInfo.InvariantCulture),
            "--threads", Math.Max(1, Environment.ProcessorCount / shards).ToString(CultureInfo.InvariantCulture),
            "--window", window.ToString(CultureInfo.InvariantCulture),
            "--mac-base", Servers.MacBase, "--dn-base", Servers.FirstDn.ToString(CultureInfo.InvariantCulture),
            "--pin-pattern", "***{dn}", "--pins", "stored", "--no-boot-files",
            "--no-dhcp", "--call-server", "127.0.0.1:" + registrationPort.ToString(CultureInfo.InvariantCulture),
            "--summary-json", summary, "--no-progress",
        });
        arguments.ForEach(start.ArgumentList.Add);
        return Process.Start(start) ?? throw new InvalidOperationException("cannot start phone fleet");
    }

    private static FleetResult Read(string directory, int shard, int exitCode, string log)
    {
        string summary = Path.Combine(directory, "fleet-summary-" + shard.ToString(CultureInfo.InvariantCulture) + ".json");
        string timing = Path.Combine(directory, "fleet-" + shard.ToString(CultureInfo.InvariantCulture) + ".time");
        if (!File.Exists(summary))
        {
            throw new InvalidOperationException("phone fleet shard " + shard + " wrote no summary (exit " + exitCode + "): " + log.Trim());
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(summary));
        JsonElement root = json.RootElement;
        JsonElement phases = root.GetProperty("phaseMilliseconds");
        List<string> reasons = new();
        foreach (JsonProperty reason in root.GetProperty("failedByReason").EnumerateObject())
        {
            reasons.Add(reason.Name + " " + reason.Value.GetInt32().ToString(CultureInfo.InvariantCulture));
        }

        string[] time = File.Exists(timing) ? File.ReadAllLines(timing)[^1].Split(' ') : Array.Empty<string>();
        JsonElement loop = root.GetProperty("loop");
        return new FleetResult
        {
            Shards = 1,
            ExitCode = exitCode,
            WallSeconds = root.GetProperty("wallMilliseconds").GetInt64() / 1000.0,
            Registered = root.GetProperty("registered").GetInt32(),
            Redirected = root.GetProperty("redirected").GetInt32(),
            Failed = root.GetProperty("failed").GetInt32(),
            Reasons = string.Join(", ", reasons),
            RegistrationP50 = phases.GetProperty("registration").GetProperty("p50").GetInt64(),
            RegistrationP99 = phases.GetProperty("registration").GetProperty("p99").GetInt64(),
            HeldBytesPerPhone = root.GetProperty("heldBytesPerRegisteredPhone").GetInt64(),
            LastRegisteredMilliseconds = root.GetProperty("lastRegisteredMilliseconds").GetInt64(),
            LoopRegistered = loop.GetProperty("registered").GetInt64(),
            Steps = loop.GetProperty("steps").GetInt64(),
            Waits = loop.GetProperty("waits").GetInt64(),
            ReadySockets = loop.GetProperty("readySockets").GetInt64(),
            Wakes = loop.GetProperty("wakes").GetInt64(),
            WorkerAllocatedBytes = loop.GetProperty("workerAllocatedBytes").GetInt64(),
            ProcessAllocatedBytes = loop.GetProperty("processAllocatedBytes").GetInt64(),
            CpuSeconds = time.Length == 4 ? double.Parse(time[1], CultureInfo.InvariantCulture) + double.Parse(time[2], CultureInfo.InvariantCulture) : -1,
            PeakResidentBytes = time.Length == 4 ? long.Parse(time[3], CultureInfo.InvariantCulture) * 1024 : -1,
        };
    }

    // Shards together: counts and CPU add up, times are the slowest shard's (p50 the largest of the shards' p50s).
    private static FleetResult Merge(List<FleetResult> shards)
    {
        FleetResult merged = shards[0];
        for (int i = 1; i < shards.Count; i++)
        {
            FleetResult next = shards[i];
            merged = new FleetResult
            {
                Shards = merged.Shards + 1,
                ExitCode = Math.Max(merged.ExitCode, next.ExitCode),
                WallSeconds = Math.Max(merged.WallSeconds, next.WallSeconds),
                Registered = merged.Registered + next.Registered,
                Redirected = merged.Redirected + next.Redirected,
                Failed = merged.Failed + next.Failed,
                Reasons = string.Join(", ", Array.FindAll(new[] { merged.Reasons, next.Reasons }, r => r.Length > 0)),
                RegistrationP50 = Math.Max(merged.RegistrationP50, next.RegistrationP50),
                RegistrationP99 = Math.Max(merged.RegistrationP99, next.RegistrationP99),
                HeldBytesPerPhone = (merged.HeldBytesPerPhone * merged.Shards + next.HeldBytesPerPhone) / (merged.Shards + 1),
                LastRegisteredMilliseconds = Math.Max(merged.LastRegisteredMilliseconds, next.LastRegisteredMilliseconds),
                LoopRegistered = merged.LoopRegistered + next.LoopRegistered,
                Steps = merged.Steps + next.Steps,
                Waits = merged.Waits + next.Waits,
                ReadySockets = merged.ReadySockets + next.ReadySockets,
                Wakes = merged.Wakes + next.Wakes,
                WorkerAllocatedBytes = merged.WorkerAllocatedBytes + next.WorkerAllocatedBytes,
                ProcessAllocatedBytes = merged.ProcessAllocatedBytes + next.ProcessAllocatedBytes,
                CpuSeconds = merged.CpuSeconds < 0 || next.CpuSeconds < 0 ? -1 : merged.CpuSeconds + next.CpuSeconds,
                PeakResidentBytes = merged.PeakResidentBytes < 0 || next.PeakResidentBytes < 0 ? -1 : merged.PeakResidentBytes + next.PeakResidentBytes,
            };
        }

        return merged;
    }
}
