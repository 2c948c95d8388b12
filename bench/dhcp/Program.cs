using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Bench.Shared;

namespace DhcpBench;

/// <summary>
/// Kea's perfdhcp against our controller's DHCP server, Kea and dnsmasq, in the same run and the
/// same namespace set-up, at rising offered rates; a flood of DISCOVERs from random MACs with the
/// servers' memory sampled; and the phone client's allocations per exchange. Prints a markdown
/// report and writes it to <c>--out</c>. Exit code 2 for bad arguments or a missing peer.
/// </summary>
public static class Program
{
    private const string MeasuredMacBase = "00:0c:01:00:00:00";
    private const string WarmUpMacBase = "00:0c:02:00:00:00";
    private const string FloodMacBase = "00:0c:03:00:00:00";
    private const string LatePhoneMac = "00:08:5d:00:10:00";
    private static string _startLoad = string.Empty;
    private static string _endLoad = string.Empty;

    public static int Main(string[] args)
    {
        return NamespaceBench.Run("dhcp-bench", args, Settings.Usage, Settings.Parse, Missing, Run, keepWorkWhenFailed: false);
    }

    private static string? Missing(Settings settings)
    {
        List<string> binaries = new() { "/usr/sbin/ip", Perfdhcp.Binary };
        if (Array.IndexOf(settings.Servers, ServerKinds.Kea) >= 0)
        {
            binaries.Add("/usr/sbin/kea-dhcp4");
        }

        if (Array.IndexOf(settings.Servers, ServerKinds.Dnsmasq) >= 0)
        {
            binaries.Add("/usr/sbin/dnsmasq");
        }

        string? missing = NamespaceBench.MissingPeer("network namespaces need root", binaries.ToArray());
        return missing ?? (File.Exists(settings.Controller) ? null : "--controller: no such file '" + settings.Controller + "' (build Controller first)");
    }

    private static int Run(Settings settings, NamespacePair pair, string work)
    {
        _startLoad = LoadAverage();
        AllocationResult allocation = PhoneAllocation.Measure(10_000);
        Console.Error.WriteLine("phone client: " + allocation.ClientPerExchange.ToString("F0", CultureInfo.InvariantCulture) + " B per exchange");

        Dictionary<string, List<Cell>> runs = new();
        for (int run = 0; run < settings.Repeat; run++)
        {
            for (int r = 0; r < settings.Rates.Length; r++)
            {
                RunCells(settings, pair, work, runs, run, r);
            }
        }

        Dictionary<string, Cell> cells = new();
        foreach (KeyValuePair<string, List<Cell>> cellRuns in runs)
        {
            cells[cellRuns.Key] = Median(cellRuns.Value);
        }

        List<FloodResult> floods = new();
        for (int run = 0; run < settings.Repeat; run++)
        {
            foreach (string kind in settings.Servers)
            {
                floods.Add(Flood(kind, run + 1, settings, pair, Path.Combine(work, kind + "-flood-" + run.ToString(CultureInfo.InvariantCulture))));
                Console.Error.WriteLine(kind + " flood " + (run + 1) + ": " + floods[^1].Describe());
            }
        }

        _endLoad = LoadAverage();
        string report = Report(settings, cells, floods, allocation);
        Console.Out.Write(report);
        if (settings.Out != null)
        {
            File.WriteAllText(settings.Out, report);
        }

        return 0;
    }

    // One offered rate, every server once; runs add to each cell's list.
    private static void RunCells(Settings settings, NamespacePair pair, string work, Dictionary<string, List<Cell>> runs, int run, int r)
    {
        int rate = settings.Rates[r];
        {
            for (int s = 0; s < settings.Servers.Length; s++)
            {
                // Rotate the order so drift on the shared machine does not always favour one server.
                string kind = settings.Servers[(s + r + run) % settings.Servers.Length];
                using ServerUnderTest server = ServerUnderTest.Start(kind, pair, Path.Combine(work, kind), settings);
                Perfdhcp.Run(pair, Math.Min(rate, 1000), 2, settings.Clients, WarmUpMacBase);
                TimeSpan cpuBefore = server.CpuTime;
                PerfdhcpResult result = Perfdhcp.Run(pair, rate, settings.Seconds, settings.Clients, MeasuredMacBase);
                TimeSpan cpu = server.CpuTime - cpuBefore;
                long peak = server.PeakResidentBytes;
                server.Stop();
                Cell cell = new(result, cpu, peak, server.LeasesOnDisk());
                string key = Key(kind, rate);
                if (!runs.TryGetValue(key, out List<Cell>? list))
                {
                    list = new List<Cell>();
                    runs[key] = list;
                }

                list.Add(cell);
                Console.Error.WriteLine(kind + " at " + rate + "/s (run " + (run + 1) + "): " + result.ExchangesPerSecond.ToString("F0", CultureInfo.InvariantCulture) + " ACK/s, "
                    + result.DropPercent.ToString("F2", CultureInfo.InvariantCulture) + " % dropped, " + cell.LeasesOnDisk + " leases on disk");
            }
        }
    }

    // The run with the median ACK/s stands for the cell (its drops, delays, CPU); the spread of
    // ACK/s and drops over all runs goes with it.
    private static Cell Median(List<Cell> runs)
    {
        List<Cell> sorted = new(runs);
        sorted.Sort((a, b) => a.Result.ExchangesPerSecond.CompareTo(b.Result.ExchangesPerSecond));
        Cell median = sorted[sorted.Count / 2];
        double minDrops = double.MaxValue;
        double maxDrops = 0;
        foreach (Cell run in runs)
        {
            minDrops = Math.Min(minDrops, run.Result.DropPercent);
            maxDrops = Math.Max(maxDrops, run.Result.DropPercent);
        }

        return median with { Runs = runs.Count, MinRate = sorted[0].Result.ExchangesPerSecond, MaxRate = sorted[^1].Result.ExchangesPerSecond, MinDrops = minDrops, MaxDrops = maxDrops };
    }

    private static FloodResult Flood(string kind, int run, Settings settings, NamespacePair pair, string directory)
    {
        using ServerUnderTest server = ServerUnderTest.Start(kind, pair, directory, settings);
        Perfdhcp.Run(pair, 1000, 2, settings.Clients, WarmUpMacBase);
        long before = server.ResidentBytes;
        long peak = before;

        // Random MACs from a range far larger than the flood: every DISCOVER is a new client.
        Task<PerfdhcpResult> flood = Task.Run(() => Perfdhcp.Run(pair, settings.FloodRate, settings.FloodSeconds, 50_000_000, FloodMacBase, discoverOnly: true));
        while (!flood.IsCompleted)
        {
            peak = Math.Max(peak, server.ResidentBytes);
            Thread.Sleep(250);
        }

        // perfdhcp 2.2 in DISCOVER-only mode sometimes aborts against dnsmasq ("Packets exchange
        // not specified"): that row then says so instead of ending the whole run.
        PerfdhcpResult? result = null;
        string error = string.Empty;
        try
        {
            result = flood.GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e)
        {
            string[] lines = e.Message.Trim().Split('\n');
            error = lines[^1].Trim();
        }

        long after = server.ResidentBytes;

        // Does the memory come back? Watch it for a while with no traffic; the last sample counts.
        long settled = after;
        for (int sample = 0; sample < settings.SettleSeconds * 4; sample++)
        {
            Thread.Sleep(250);
            settled = server.ResidentBytes;
            peak = Math.Max(peak, settled);
        }

        bool served = Perfdhcp.Probe(pair, LatePhoneMac);
        server.Stop();
        return new FloodResult(kind, run, result, error, before, peak, after, settled, served);
    }

    private static string Key(string kind, int rate)
    {
        return kind + "@" + rate.ToString(CultureInfo.InvariantCulture);
    }

    private static (double Rate, int Offered, Cell? Cell) Sustained(Settings settings, Dictionary<string, Cell> cells, string kind)
    {
        (double Rate, int Offered, Cell? Cell) best = (0, 0, null);
        foreach (int rate in settings.Rates)
        {
            Cell cell = cells[Key(kind, rate)];
            if (cell.Result.DropPercent < 1 && cell.Result.ExchangesPerSecond > best.Rate)
            {
                best = (cell.Result.ExchangesPerSecond, rate, cell);
            }
        }

        return best;
    }

    // Issue 13's goal: the highest rate served with no drop at all, every lower rate also without one.
    private static double ZeroDropRate(Settings settings, Dictionary<string, Cell> cells, string kind)
    {
        double rate = 0;
        foreach (int offered in settings.Rates)
        {
            PerfdhcpResult result = cells[Key(kind, offered)].Result;
            if (result.DiscoversSent == 0 || result.AcksReceived < result.DiscoversSent)
            {
                break;
            }

            rate = result.ExchangesPerSecond;
        }

        return rate;
    }

    // A table of one row per offered rate and two columns per server; row gives a cell's two columns.
    private static void AppendRateTable(StringBuilder md, Settings settings, Dictionary<string, Cell> cells, string first, string second, Func<Cell, string> row)
    {
        md.Append("| offered /s |");
        foreach (string kind in settings.Servers)
        {
            md.Append(' ').Append(Short(kind)).Append(' ').Append(first).Append(" | ").Append(Short(kind)).Append(' ').Append(second).Append(" |");
        }

        md.Append("\n|---:|");
        foreach (string unused in settings.Servers)
        {
            md.Append("---:|---:|");
        }

        md.Append('\n');
        foreach (int rate in settings.Rates)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {rate:N0} |");
            foreach (string kind in settings.Servers)
            {
                md.Append(row(cells[Key(kind, rate)]));
            }

            md.Append('\n');
        }
    }

    private static string Report(Settings settings, Dictionary<string, Cell> cells, List<FloodResult> floods, AllocationResult allocation)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder md = new();
        md.Append("# DHCP: our controller's server against Kea and dnsmasq (perfdhcp)\n\n");
        md.Append(c, $"Measured by `bench/dhcp/run` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.\n");
        md.Append("Two network namespaces joined by a veth pair; the server in one, Kea's `perfdhcp` in the other acting as a relay (giaddr set, unicast to port 67), ");
        md.Append("so every server gets the same relayed traffic. Each cell starts the server fresh with empty lease storage, warms it up with 2 s of exchanges at up to 1,000/s, ");
        md.Append(c, $"then runs `perfdhcp -r RATE -p {settings.Seconds} -R {settings.Clients}` (DORA exchanges from {settings.Clients:N0} clients with random MACs). ");
        md.Append("Pool: 65,279 addresses of a /16, one-hour leases, every lease persisted: ours in its SQLite database (WAL, `synchronous=NORMAL`, an ACK leaves only after the commit that holds its lease; an OFFER, which promises nothing, is kept in memory only and leaves without a commit of its own; REQUESTs are answered before the DISCOVERs read with them, so an OFFER read behind a REQUEST leaves after that REQUEST's commit), ");
        md.Append("Kea's memfile (`persist: true`, `lfc-interval: 3600`), dnsmasq's lease file (`dhcp-lease-max` raised to the pool, `quiet-dhcp`, `no-ping`: with its ping check a new client is answered only on a retransmitted DISCOVER, and perfdhcp does not retransmit). ");
        md.Append("Ours asks for a 16 MiB socket receive buffer (`SO_RCVBUFFORCE` as root); Kea and dnsmasq keep the kernel default (`rmem_default`, 208 KiB), which matters when a server is not scheduled for a while. ");
        md.Append(c, $"perfdhcp and the server share the machine's CPUs with whatever else runs: load average {_startLoad} at the start of the run, {_endLoad} at the end.\n\n");
        md.Append("ACK/s = completed 4-way exchanges per second of the test period; drops = exchanges begun (DISCOVERs sent) that got no ACK within perfdhcp's 1 s.");
        md.Append(c, $" Each cell is the run with the median ACK/s of {settings.Repeat} (the runs alternate the servers, rotating their order)");
        md.Append(settings.Repeat > 1 ? ", with the lowest–highest ACK/s and drops of the runs in brackets; the summary below takes its delays and CPU from that median run.\n\n" : ".\n\n");

        AppendRateTable(md, settings, cells, "ACK/s", "drops", cell =>
        {
            PerfdhcpResult result = cell.Result;
            string drops = Percent(result.DropPercent, c);
            string rateSpread = cell.Runs > 1 ? string.Format(c, " ({0:N0}–{1:N0})", cell.MinRate, cell.MaxRate) : string.Empty;
            string dropSpread = cell.Runs > 1 ? " (" + Percent(cell.MinDrops, c) + "–" + Percent(cell.MaxDrops, c) + ")" : string.Empty;
            return string.Create(c, $" {result.ExchangesPerSecond:N0}{rateSpread} | {(result.DropPercent < 1 ? drops : "**" + drops + "**")}{dropSpread} |");
        });

        // The delay per rate shows where a server starts to queue, not only at its sustained rate.
        md.Append("\nAverage OFFER / ACK delay (perfdhcp's, from DISCOVER to OFFER and REQUEST to ACK) and server CPU time per ACK, in the same runs:\n\n");
        AppendRateTable(md, settings, cells, "OFFER / ACK ms", "CPU per ACK", cell =>
        {
            double cpuMicros = cell.Cpu.TotalMilliseconds * 1000 / Math.Max(1, cell.Result.AcksReceived);
            return string.Create(c, $" {cell.Result.AverageOfferDelayMs:F2} / {cell.Result.AverageAckDelayMs:F2} | {cpuMicros:F0} µs |");
        });

        md.Append("\n| server | sustained DORA/s with < 1 % drops | at offered /s | server CPU per exchange there | avg OFFER / ACK delay there | leases on disk after that cell | most ACK/s in any cell |\n|---|---:|---:|---:|---:|---:|---:|\n");
        Dictionary<string, double> sustained = new();
        Dictionary<string, double> best = new();
        foreach (string kind in settings.Servers)
        {
            (double rate, int offered, Cell? cell) = Sustained(settings, cells, kind);
            sustained[kind] = rate;
            best[kind] = 0;
            foreach (int r in settings.Rates)
            {
                best[kind] = Math.Max(best[kind], cells[Key(kind, r)].Result.ExchangesPerSecond);
            }

            if (cell == null)
            {
                md.Append(c, $"| {ServerKinds.Title(kind)} | none (not even at {settings.Rates[0]:N0}/s) | — | — | — | — | {best[kind]:N0} |\n");
                continue;
            }

            double cpuMicros = cell.Cpu.TotalMilliseconds * 1000 / Math.Max(1, cell.Result.AcksReceived);
            md.Append(c, $"| {ServerKinds.Title(kind)} | **{rate:N0}** | {offered:N0} | {cpuMicros:F0} µs | {cell.Result.AverageOfferDelayMs:F2} / {cell.Result.AverageAckDelayMs:F2} ms | {cell.LeasesOnDisk:N0} | {best[kind]:N0} |\n");
        }

        md.Append('\n');
        if (sustained.ContainsKey(ServerKinds.Ours))
        {
            foreach (string other in new[] { ServerKinds.Kea, ServerKinds.Dnsmasq })
            {
                if (!sustained.TryGetValue(other, out double theirs))
                {
                    continue;
                }

                string sustainedRatio = theirs > 0 ? (sustained[ServerKinds.Ours] / theirs).ToString("F2", c) : "— (" + Short(other) + " sustains no rate)";
                string bestRatio = best[other] > 0 ? (best[ServerKinds.Ours] / best[other]).ToString("F2", c) : "—";
                double oursZero = ZeroDropRate(settings, cells, ServerKinds.Ours);
                double theirsZero = ZeroDropRate(settings, cells, other);
                string zeroRatio = theirsZero > 0 ? (oursZero / theirsZero).ToString("F2", c) : "—";
                md.Append(c, $"Ratio ours / {Short(other)}: sustained **{sustainedRatio}**, most ACK/s in any cell {bestRatio}; with 0 drops at that rate and every lower one: ours {oursZero:N0}, {Short(other)} {theirsZero:N0} DORA/s, ratio **{zeroRatio}**.\n");
            }

            md.Append("\nThe top offered rate bounds what can be shown: a server sustaining the highest rate may sustain more.\n\n");
        }

        md.Append("## A flood of DISCOVERs from random MACs\n\n");
        md.Append(c, $"Each server fresh (after the 2 s warm-up), then `perfdhcp -i -r {settings.FloodRate} -p {settings.FloodSeconds} -R 50000000`: DISCOVERs only, every one from a new MAC, never a REQUEST. ");
        md.Append(c, $"The server's resident set (VmRSS) is sampled every 250 ms, during the flood and for {settings.SettleSeconds} s after it with no traffic (the last sample: *RSS settled*). Then one new client (`{LatePhoneMac}`) runs a full exchange. ");
        md.Append("Ours holds each offer for 60 s but at most 4,096 at a time (`PendingOfferLimit`; a newer offer withdraws the oldest), so the flood ties up at most 4,096 of the pool's addresses; ");
        md.Append("Kea 2.2 and dnsmasq hold nothing between OFFER and REQUEST.\n\n");
        md.Append("| server | run | OFFERs/s answered | RSS before | peak RSS | RSS at the flood's end | RSS settled | settled − before | new client's DORA after the flood |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (FloodResult flood in floods)
        {
            string answered = flood.Result == null
                ? "perfdhcp aborted: `" + flood.Error + "`"
                : flood.Result.OffersPerSecond.ToString("N0", c) + " (" + flood.Result.OffersReceived.ToString("N0", c) + " of " + flood.Result.DiscoversSent.ToString("N0", c) + ")";
            md.Append(c, $"| {ServerKinds.Title(flood.Kind)} | {flood.Run} | {answered} | {MiB(flood.Before)} | {MiB(flood.Peak)} | {MiB(flood.After)} | {MiB(flood.Settled)} | {MiB(flood.Settled - flood.Before)} | {(flood.Served ? "ACKed" : "**not served**")} |\n");
        }

        md.Append("\n## The phone's client: bytes allocated per exchange on the host\n\n");
        md.Append(c, $"`Protocol/Dhcp/DhcpClient` against the in-process `DhcpServer` (in-memory lease store) over in-memory datagrams, {allocation.Exchanges:N0} full DISCOVER/OFFER/REQUEST/ACK exchanges, one new client each; ");
        md.Append("`GC.GetAllocatedBytesForCurrentThread()` read around each side's calls.\n\n");
        md.Append("| measured | bytes per exchange |\n|---|---:|\n");
        md.Append(c, $"| phone client: `Start`, `Poll`, `OnReceive`, `PollEvent` (two messages built and encoded, two parsed) | {allocation.ClientPerExchange:N0} |\n");
        md.Append(c, $"| phone client: its constructor (once per boot on the phone) | {allocation.ConstructorPerExchange:N0} |\n");
        md.Append(c, $"| our server: `DhcpServer.Handle` for DISCOVER and REQUEST (two parsed, two built and encoded) | {allocation.ServerPerExchange:N0} |\n");
        return md.ToString();
    }

    // The 1-, 5- and 15-minute load averages: the machine is shared, and the figures move with it.
    private static string LoadAverage()
    {
        string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
        return fields[0] + " / " + fields[1] + " / " + fields[2];
    }

    private static string Percent(double value, CultureInfo c)
    {
        return value.ToString(value < 10 ? "F2" : "F1", c) + " %";
    }

    private static string Short(string kind)
    {
        return kind == ServerKinds.Kea ? "Kea" : kind;
    }

    private static string MiB(long bytes)
    {
        return (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) + " MiB";
    }

    private sealed record Cell(PerfdhcpResult Result, TimeSpan Cpu, long PeakResident, int LeasesOnDisk)
    {
        public int Runs { get; init; } = 1;

        public double MinRate { get; init; }

        public double MaxRate { get; init; }

        public double MinDrops { get; init; }

        public double MaxDrops { get; init; }
    }

    private sealed record FloodResult(string Kind, int Run, PerfdhcpResult? Result, string Error, long Before, long Peak, long After, long Settled, bool Served)
    {
        public string Describe()
        {
            return (Result == null ? "perfdhcp aborted (" + Error + ")" : Result.OffersPerSecond.ToString("F0", CultureInfo.InvariantCulture) + " OFFERs/s") + ", RSS " + MiB(Before) + " -> peak " + MiB(Peak) + " -> " + MiB(After) + " -> settled " + MiB(Settled) + ", new client " + (Served ? "served" : "NOT served");
        }
    }
}
