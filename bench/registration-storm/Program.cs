using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;

namespace RegistrationStorm;

/// <summary>
/// `registration-storm`: 10,000 emulated phones register at once against a two-element cluster
/// (half of them homed on the second element, so redirected), and a bare TCP baseline in the same
/// run. See bench/README.md.
/// </summary>
public static class Program
{
    public const string Usage = """
        registration-storm - the registration storm benchmark (bench/README.md)

        usage:
          registration-storm [--phones N] [--repeat N] [--concurrency N] [--phone PATH | --no-fleet] [--out FILE] [--dir DIR]
          registration-storm serve-cluster DIR PHONES   (child process: the two elements)
          registration-storm serve-echo                 (child process: the bare TCP server)
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "serve-cluster")
        {
            return await Servers.ServeCluster(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        if (args.Length >= 1 && args[0] == "serve-echo")
        {
            return await Servers.ServeEcho().ConfigureAwait(false);
        }

        int phones = 10_000;
        int repeat = 3;
        int concurrency = 1_000;
        string? output = null;
        string? phone = "PhoneFirmware/Host/bin/Release/net10.0/phone.dll";
        string directory = Path.Combine(Path.GetTempPath(), "registration-storm");
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : string.Empty;
            switch (args[i])
            {
                case "--phones":
                    phones = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--repeat":
                    repeat = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--concurrency":
                    concurrency = int.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--out":
                    output = value;
                    i++;
                    break;
                case "--phone":
                    phone = value;
                    i++;
                    break;
                case "--no-fleet":
                    phone = null;
                    break;
                case "--dir":
                    directory = value;
                    i++;
                    break;
                default:
                    Console.Error.Write(Usage);
                    return 2;
            }
        }

        if (phone != null && !File.Exists(phone))
        {
            Console.Error.WriteLine("registration-storm: --phone: no such file '" + phone + "' (build PhoneFirmware/Host, or pass --no-fleet)");
            return 2;
        }

        return await Measure(phones, repeat, concurrency, output, directory, phone).ConfigureAwait(false);
    }

    private static async Task<int> Measure(int phones, int repeat, int concurrency, string? output, string directory, string? phone)
    {
        Console.Error.WriteLine($"registration-storm: {phones} phones, concurrency {concurrency}, {repeat} run(s) each; seeding the cluster...");
        using ChildServer cluster = ChildServer.Start("serve-cluster", directory, phones.ToString(CultureInfo.InvariantCulture));
        using ChildServer echo = ChildServer.Start("serve-echo");
        IPEndPoint elementA = new(IPAddress.Loopback, cluster.Ports[0]);
        IPEndPoint echoServer = new(IPAddress.Loopback, echo.Ports[0]);

        // One unmeasured round of each first: JIT, thread pool growth and the SQLite page cache.
        await Settle(await LoadGenerator.Storm(elementA, phones, concurrency, step: 10).ConfigureAwait(false), "warm-up storm").ConfigureAwait(false);
        await Settle(await LoadGenerator.Baseline(echoServer, (phones + 9) / 10, concurrency).ConfigureAwait(false), "warm-up baseline").ConfigureAwait(false);

        List<RunResult> storms = new();
        List<RunResult> baselines = new();
        Dictionary<string, string> clusterStats = new();
        Dictionary<string, string> echoStats = new();
        cluster.Command("mark");
        echo.Command("mark");
        for (int run = 0; run < repeat; run++)
        {
            cluster.Command("pace-start");
            RunResult storm = await LoadGenerator.Storm(elementA, phones, concurrency).ConfigureAwait(false);
            storm.Pace = PaceReading.Parse(cluster.Command("pace"));
            if (run == repeat - 1)
            {
                // Every phone is still connected here: the elements hold all 10,000 registrations.
                clusterStats = cluster.Stats();
            }

            await Settle(storm, $"storm {run + 1}").ConfigureAwait(false);
            storms.Add(storm);
            RunResult baseline = await LoadGenerator.Baseline(echoServer, phones, concurrency).ConfigureAwait(false);
            if (run == repeat - 1)
            {
                echoStats = echo.Stats();
            }

            await Settle(baseline, $"baseline {run + 1}").ConfigureAwait(false);
            baselines.Add(baseline);
        }

        // The fleet after the load generator's runs, so the cluster's CPU and allocation figures above are the load generator's alone.
        List<FleetResult> fleets = new();
        for (int run = 0; phone != null && run < repeat; run++)
        {
            cluster.Command("pace-start");
            FleetResult fleet = FleetRun.Run(phone, phones, cluster.Ports[0], concurrency, directory);
            fleet.Pace = PaceReading.Parse(cluster.Command("pace"));
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"registration-storm: fleet {run + 1}: {fleet.Registered} registered ({fleet.Redirected} redirected, {fleet.Failed} failed{(fleet.Failed > 0 ? ": " + fleet.Reasons : string.Empty)}), the last {fleet.LastRegisteredMilliseconds} ms after power-up = {fleet.OwnRate:F0}/s; the elements served {fleet.Pace.Count} registrations in {fleet.Pace.Seconds:F2} s = {fleet.Rate:F0}/s; registration p50 {fleet.RegistrationP50} ms, p99 {fleet.RegistrationP99} ms"));
            fleets.Add(fleet);
            await Task.Delay(1_000).ConfigureAwait(false); // the fleet's links closed with it
        }

        if (storms.Exists(r => r.Failed > 0) || baselines.Exists(r => r.Failed > 0))
        {
            Console.Error.WriteLine("registration-storm: some clients failed (see above); no table");
            return 1;
        }

        string table = Table(phones, concurrency, storms, baselines, clusterStats, echoStats) + FleetRows(fleets, Median(storms), Median(baselines), concurrency);
        Console.Out.Write(table);
        if (output != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, table);
        }

        // A fleet phone that did not register is in the table (with its reason) and fails the run.
        return fleets.Exists(f => f.Failed > 0 || f.Registered != phones) ? 1 : 0;
    }

    // Reports one run on stderr and gives the servers a moment to see the closed links.
    private static async Task Settle(RunResult result, string name)
    {
        result.Close();
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"registration-storm: {name}: {result.Completed} done ({result.Redirected} redirected, {result.Failed} failed) in {result.Seconds:F2} s = {result.Rate:F0}/s; p50 {result.Percentile(50):F0} ms, p99 {result.Percentile(99):F0} ms, max {result.Percentile(100):F0} ms"));
        if (result.Failed > 0)
        {
            Console.Error.WriteLine("registration-storm:   first failure: " + result.FirstFailure);
        }

        await Task.Delay(1_000).ConfigureAwait(false);
    }

    private static RunResult Median(List<RunResult> runs)
    {
        List<RunResult> sorted = new(runs);
        sorted.Sort((x, y) => x.Seconds.CompareTo(y.Seconds));
        return sorted[sorted.Count / 2];
    }

    private static string Table(int phones, int concurrency, List<RunResult> storms, List<RunResult> baselines, Dictionary<string, string> cluster, Dictionary<string, string> echo)
    {
        RunResult storm = Median(storms);
        RunResult baseline = Median(baselines);
        double ratio = storm.Rate / baseline.Rate;
        CultureInfo c = CultureInfo.InvariantCulture;
        string Runs(List<RunResult> runs) => string.Join(", ", runs.ConvertAll(r => r.Seconds.ToString("F2", c)));
        string Mib(Dictionary<string, string> stats, string key) => stats.TryGetValue(key, out string? v) ? (long.Parse(v, c) / 1048576.0).ToString("F0", c) + " MiB" : "?";
        string Get(Dictionary<string, string> stats, string key) => stats.TryGetValue(key, out string? v) ? v : "?";
        double cpuMs = double.Parse(Get(cluster, "cpu_ms"), c);
        double allocated = double.Parse(Get(cluster, "allocated"), c);
        int registrations = storms.Count * phones;

        StringBuilder text = new();
        text.AppendLine("# Registration storm");
        text.AppendLine();
        text.AppendLine(string.Create(c, $"{phones:N0} emulated phones register at once with a stored PIN against a two-element cluster; half of them are homed on element B and redirected there by A. Median of {storms.Count} runs; at most {concurrency:N0} phones between connect and answer at a time; registered phones stay connected until all are done. Same machine, same run: a bare TCP baseline ({phones:N0} × connect + one {RegistrationCodecSize()}-byte request echoed back by a trivial async server)."));
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(string.Create(c, $"| storm: wall time until all {phones:N0} are registered | **{storm.Seconds:F2} s** (runs: {Runs(storms)} s) |"));
        text.AppendLine(string.Create(c, $"| storm: registrations per second | **{storm.Rate:N0}/s** ({storm.Connections:N0} connections, {storm.Redirected:N0} redirects) |"));
        text.AppendLine(string.Create(c, $"| storm: per-phone time, p50 / p99 / max | {storm.Percentile(50):F0} / {storm.Percentile(99):F0} / {storm.Percentile(100):F0} ms |"));
        text.AppendLine(string.Create(c, $"| controller process (both elements): peak working set during the storms | {Mib(cluster, "peak_ws")} (lifetime peak incl. seeding: {Mib(cluster, "hwm")}) |"));
        text.AppendLine(string.Create(c, $"| controller process: peak GC heap during the storms | {Mib(cluster, "peak_gc_heap")} |"));
        text.AppendLine(string.Create(c, $"| controller process: CPU and allocation per registration | {cpuMs * 1000 / registrations:F0} µs, {allocated / registrations / 1024:F1} KiB ({Get(cluster, "gen0")} gen0 / {Get(cluster, "gen2")} gen2 GCs, {Get(cluster, "threads")} threads) |"));
        text.AppendLine(string.Create(c, $"| registrations held at the end of the last storm (A / B) | {Get(cluster, "registered_a")} / {Get(cluster, "registered_b")} |"));
        text.AppendLine(string.Create(c, $"| bare TCP baseline: wall time | {baseline.Seconds:F2} s (runs: {Runs(baselines)} s) |"));
        text.AppendLine(string.Create(c, $"| bare TCP baseline: round trips per second | **{baseline.Rate:N0}/s** (p50 {baseline.Percentile(50):F0} ms, p99 {baseline.Percentile(99):F0} ms; server peak working set {Mib(echo, "peak_ws")}) |"));
        text.AppendLine(string.Create(c, $"| bare TCP baseline: server CPU and allocation per round trip | {double.Parse(Get(echo, "cpu_ms"), c) * 1000 / (baselines.Count * phones):F0} µs, {double.Parse(Get(echo, "allocated"), c) / (baselines.Count * phones) / 1024:F1} KiB (a registration is 1.5 connections and round trips here) |"));
        text.AppendLine(string.Create(c, $"| ratio ours / baseline (per second) | **{ratio:P0}** |"));
        text.AppendLine(string.Create(c, $"| goals: storm under 10 s / at least 50 % of bare TCP | {(storm.Seconds < 10 ? "met" : "missed")} / {(ratio >= 0.5 ? "met" : "missed")} |"));
        text.AppendLine();
        text.AppendLine(string.Create(c, $"Machine: {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; load generator, both elements (one process) and the echo server (another) share it."));
        return text.ToString();
    }

    // The fleet's lines, appended to the table: its median run by the pace the elements served it at.
    private static string FleetRows(List<FleetResult> fleets, RunResult storm, RunResult baseline, int concurrency)
    {
        if (fleets.Count == 0)
        {
            return string.Empty;
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        List<FleetResult> sorted = new(fleets);
        sorted.Sort((x, y) => x.Rate.CompareTo(y.Rate));
        FleetResult fleet = sorted[sorted.Count / 2];
        double ratio = fleet.Rate / storm.Pace.Rate;
        StringBuilder text = new();
        text.AppendLine();
        string processes = fleet.Shards == 1
            ? $"{Environment.ProcessorCount} worker threads in one process (the load generator is one process on the thread pool)"
            : $"{fleet.Shards} processes (`--shard K/{fleet.Shards}`: the open-file limit holds fewer links than phones in one process), {Math.Max(1, Environment.ProcessorCount / fleet.Shards)} worker thread(s) and a window of {Math.Max(1, concurrency / fleet.Shards):N0} each; per-phone times are the slowest shard's, counts, CPU and memory the sum";
        text.AppendLine(string.Create(c, $"The fleet, same run, same cluster, same phones (after the load generator's runs): `phone fleet` — the phone's full portable core per phone, on {processes} — with stored PINs, no DHCP (`--no-dhcp --call-server` element A: every phone registers from power-up, as the load generator's clients connect at their start), no boot files (`--no-boot-files`), and at most {concurrency:N0} phones between power-up and registered (`--window`, the load generator's concurrency bound): each registers at A and follows its redirect to B. The phone does what the real set does and the load generator does not: after Registered it sends a Keepalive and waits for the answer before it is in service (docs/registration-protocol.md), so a fleet registration carries one frame more each way (counted below at the elements). Both are timed at the elements (first to last Registered reply), the ratio is of those rates; the fleet's own clock (power-up to its last registered event) is beside it. Median of {fleets.Count} run(s)."));
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---|");
        text.AppendLine(string.Create(c, $"| load generator: registrations per second as the elements served them | {storm.Pace.Rate:N0}/s ({storm.Pace.Count:N0} in {storm.Pace.Seconds:F2} s, the median storm above); frames per registration, phone → element / back: {PerRegistration(storm.Pace.FramesIn, storm.Pace.Count)} / {PerRegistration(storm.Pace.FramesOut, storm.Pace.Count)} |"));
        text.AppendLine(string.Create(c, $"| fleet: registrations per second as the elements served them | **{fleet.Rate:N0}/s** ({fleet.Pace.Count:N0} in {fleet.Pace.Seconds:F2} s; runs: {string.Join(", ", fleets.ConvertAll(f => f.Rate.ToString("N0", c)))}/s); frames per registration, phone → element / back: {PerRegistration(fleet.Pace.FramesIn, fleet.Pace.Count)} / {PerRegistration(fleet.Pace.FramesOut, fleet.Pace.Count)} |"));
        text.AppendLine(string.Create(c, $"| fleet: power-up to the last registered phone | {fleet.LastRegisteredMilliseconds / 1000.0:F2} s = {fleet.OwnRate:N0}/s ({fleet.Registered:N0} registered, {fleet.Redirected:N0} redirected, **{fleet.Failed} failed**{(fleet.Failed > 0 ? ": " + fleet.Reasons + ", per run: " + string.Join(", ", fleets.ConvertAll(f => f.Failed.ToString(c))) : string.Empty)}; the load generator's wall: {storm.Rate:N0}/s) |"));
        text.AppendLine(string.Create(c, $"| fleet: per-phone registration, p50 / p99 | {fleet.RegistrationP50} / {fleet.RegistrationP99} ms |"));
        text.AppendLine(string.Create(c, $"| fleet process: CPU time, peak resident set; managed memory held per registered phone | {(fleet.CpuSeconds < 0 ? "?" : fleet.CpuSeconds.ToString("F1", c) + " s")}, {(fleet.PeakResidentBytes < 0 ? "?" : (fleet.PeakResidentBytes / 1048576.0).ToString("F0", c) + " MiB")}; {fleet.HeldBytesPerPhone:N0} B |"));
        text.AppendLine(string.Create(c, $"| fleet loop per registered phone (counts until settled) | {fleet.PerPhone(fleet.Steps):F1} steps, {fleet.PerPhone(fleet.Waits):F1} readiness waits, {fleet.PerPhone(fleet.ReadySockets):F1} ready sockets, {fleet.PerPhone(fleet.Wakes):F2} cross-thread wakes; allocated {fleet.PerPhone(fleet.WorkerAllocatedBytes):N0} B on the workers, {fleet.PerPhone(fleet.ProcessAllocatedBytes):N0} B in the whole process |"));
        text.AppendLine(string.Create(c, $"| fleet / the load generator, both as the elements served them | **{ratio:P0}** (goal at least 50 %: {(ratio >= 0.5 ? "met" : "missed")}); by their own clocks: {fleet.OwnRate / storm.Rate:P0}; fleet / bare TCP baseline: {fleet.Rate / baseline.Rate:P0} |"));
        return text.ToString();
    }

    private static string PerRegistration(long frames, int registrations)
    {
        return registrations == 0 ? "?" : ((double)frames / registrations).ToString("F2", CultureInfo.InvariantCulture);
    }

    private static int RegistrationCodecSize()
    {
        return Protocol.Registration.RegistrationCodec.Encode(Protocol.Registration.RegistrationMessage.Register(Servers.Mac(0), 5320, "1.0.0", "***10000")).Length;
    }

    /// <summary>A server child process (this program again), driven over stdin/stdout.</summary>
    private sealed class ChildServer : IDisposable
    {
        private readonly Process _process;

        private ChildServer(Process process, int[] ports)
        {
            _process = process;
            Ports = ports;
        }

        public int[] Ports { get; }

        public static ChildServer Start(params string[] arguments)
        {
            ProcessStartInfo start = new(Environment.ProcessPath!)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            {
                start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            }

            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            Process process = Process.Start(start)!;
            string? ready = process.StandardOutput.ReadLine();
            if (ready == null || !ready.StartsWith("ready ", StringComparison.Ordinal))
            {
                process.Kill();
                throw new InvalidOperationException(arguments[0] + " did not start: " + ready);
            }

            string[] parts = ready.Split(' ');
            return new ChildServer(process, Array.ConvertAll(parts[1..], p => int.Parse(p, CultureInfo.InvariantCulture)));
        }

        public string Command(string command)
        {
            _process.StandardInput.WriteLine(command);
            _process.StandardInput.Flush();
            return _process.StandardOutput.ReadLine() ?? string.Empty;
        }

        public Dictionary<string, string> Stats()
        {
            Dictionary<string, string> stats = new();
            foreach (string pair in Command("stats").Split(' '))
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    stats[pair[..equals]] = pair[(equals + 1)..];
                }
            }

            return stats;
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.WriteLine("quit");
                _process.StandardInput.Flush();
                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill();
                }
            }
            catch (IOException)
            {
            }

            _process.Dispose();
        }
    }
}
