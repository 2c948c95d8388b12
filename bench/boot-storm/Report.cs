using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace BootStorm;

/// <summary>The markdown report: each storm's figures beside its goal, then the bounds measured in the same run.</summary>
public static class Report
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Markdown(Settings settings, Cluster cluster, List<StormResult> runs, List<(double Rate, double Seconds)> pace, ProcessSample[] idle, BoundResult dhcp, List<BoundResult> tftp, BoundResult tcp, string startLoad, string endLoad, TimeSpan took)
    {
        List<string> kinds = new(settings.Storms);
        List<StormResult> storms = kinds.ConvertAll(kind => Median(runs, kind));
        List<(double Rate, double Seconds)> paces = storms.ConvertAll(s => pace[runs.IndexOf(s)]);
        string Cells(Func<int, string> cell) => string.Join(" | ", kinds.ConvertAll(k => cell(kinds.IndexOf(k))));

        StringBuilder text = new();
        text.AppendLine("# Boot storm");
        text.AppendLine();
        text.AppendLine(string.Create(C, $"{settings.Count:N0} phones (`phone fleet`: the phone's portable core, {settings.Threads} worker threads, one process) power up at once against a two-element cluster of `controller serve` processes; half are homed on element B, so A redirects them. The fleet is a DHCP relay in one network namespace, the cluster in another (a veth pair). **Cold**: empty flash, DHCP + `boot.manifest` + a {cluster.ImageBytes / 1024} KiB `boot.img` + registration after the PIN typed at the prompt. **Warm**: PIN stored and image current (each phone's flash records `boot.img` version {cluster.ImageVersion} as installed, `--installed-image`), DHCP + `boot.manifest` + registration: the manifest names the installed version, so the image is skipped (`tftp.skipped`), as the real set skips a current image. Median of {settings.Repeat} run(s) per storm; load average {startLoad} at the start, {endLoad} at the end; the whole benchmark took {took.TotalSeconds:F0} s."));
        text.AppendLine();
        text.AppendLine("| measure | " + string.Join(" | ", kinds) + " | goal |");
        text.AppendLine("|---|" + string.Concat(kinds.ConvertAll(_ => "---|")) + "---|");
        text.AppendLine("| registered / failed | " + Cells(i => $"{storms[i].Registered:N0} / {storms[i].Failed:N0}{(storms[i].Failed > 0 ? " (" + storms[i].FailedByReason + ")" : string.Empty)}") + " | every phone registered, none lost or stuck: " + Met(storms.TrueForAll(s => s.Failed == 0 && s.Registered == s.Phones)) + " |");
        text.AppendLine("| redirected / typed a PIN | " + Cells(i => $"{storms[i].Redirected:N0} / {storms[i].Typed:N0}") + " | |");
        text.AppendLine("| wall time, power-up to the last registered | " + Cells(i => string.Create(C, $"**{storms[i].WallSeconds:F1} s** (runs {Runs(runs, kinds[i])})")) + " | " + Goals(kinds, storms) + " |");
        text.AppendLine("| whole storm: phones per second | " + Cells(i => string.Create(C, $"{storms[i].Phones / storms[i].WallSeconds:N0}/s")) + " | |");
        text.AppendLine("| DHCP per phone, p50 / p99 | " + Cells(i => P(storms[i], "dhcp")) + " | |");
        text.AppendLine("| DHCP rate (0.99 N ÷ p99: all start together) vs perfdhcp | " + Cells(i => string.Create(C, $"{DhcpRate(storms[i]):N0}/s = **{DhcpRate(storms[i]) / dhcp.PhonesPerSecond:F2}×**")) + string.Create(C, $" | ≥ 0.8× perfdhcp's {dhcp.PhonesPerSecond:N0} ACK/s: ") + Met(storms.TrueForAll(s => DhcpRate(s) >= 0.8 * dhcp.PhonesPerSecond)) + " |");
        text.AppendLine("| TFTP per phone (manifest, and the image when cold), p50 / p99 | " + Cells(i => P(storms[i], "tftp")) + " | |");
        text.AppendLine("| TFTP bound: curl fetching the same files, phones/s | " + Cells(i => string.Create(C, $"{tftp[i].PhonesPerSecond:N0}/s ({tftp[i].Detail})")) + " | |");
        text.AppendLine("| registration per phone (incl. redirect, prompt), p50 / p99 | " + Cells(i => P(storms[i], "registration")) + " | |");
        text.AppendLine("| registrations per second, as the elements logged them (first to last) | " + Cells(i => string.Create(C, $"{paces[i].Rate:N0}/s over {paces[i].Seconds:F1} s")) + string.Create(C, $" | bound: bare TCP round trip {tcp.PhonesPerSecond:N0}/s ({tcp.Detail}) |"));
        text.AppendLine("| power-up to registered per phone, p50 / p99 | " + Cells(i => P(storms[i], "total")) + " | |");
        text.AppendLine("| managed memory held per registered phone (full GC ÷ N, fleet's summary) | " + Cells(i => string.Create(C, $"**{storms[i].HeldBytesPerPhone:N0} B**")) + " | ≤ 16 KiB: " + Met(storms.TrueForAll(s => s.HeldBytesPerPhone > 0 && s.HeldBytesPerPhone <= 16 * 1024)) + " |");
        text.AppendLine("| fleet process: CPU time, peak resident set | " + Cells(i => string.Create(C, $"{storms[i].FleetCpuSeconds:F1} s, {Mib(storms[i].FleetPeakResidentBytes)}")) + " | |");
        for (int e = 0; e < cluster.Elements.Count; e++)
        {
            int element = e;
            text.AppendLine($"| element {(char)('A' + e)} (`controller serve`): CPU time during the storm, peak resident set | " + Cells(i => string.Create(C, $"{storms[i].ElementCpuSeconds[element]:F1} s, {Mib(storms[i].ElementPeakResidentBytes[element])}")) + string.Create(C, $" | idle before the storms: {Mib(idle[e].ResidentBytes)} |"));
        }

        text.AppendLine();
        text.AppendLine("Bounds, same run, same servers, after the storms:");
        text.AppendLine();
        text.AppendLine("| phase | tool | result |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(string.Create(C, $"| DHCP | perfdhcp (relay at the fleet's address, 100,000 simulated clients, {settings.PerfdhcpSeconds} s per rate) against element A | most ACKs/s of any rate: **{dhcp.PhonesPerSecond:N0}/s** ({dhcp.Detail}) |"));
        foreach (BoundResult bound in tftp)
        {
            text.AppendLine(string.Create(C, $"| TFTP | {bound.Tool} from element A, once per phone | **{bound.PhonesPerSecond:N0} phones/s**, {bound.Seconds:F1} s ({bound.Detail}) |"));
        }

        text.AppendLine(string.Create(C, $"| registration | bench/registration-storm's bare TCP round trip (connect + one Register-sized echo), namespace to namespace | **{tcp.PhonesPerSecond:N0}/s**, {tcp.Seconds:F2} s ({tcp.Detail}) |"));
        text.AppendLine();
        text.AppendLine(string.Create(C, $"Machine: {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; the fleet, both elements, and the tools share it."));
        return text.ToString();
    }

    private static double DhcpRate(StormResult storm)
    {
        long p99 = storm.Phase("dhcp").P99;
        return p99 <= 0 ? 0 : 0.99 * storm.Phones / (p99 / 1000.0);
    }

    private static string Goals(List<string> kinds, List<StormResult> storms)
    {
        List<string> goals = new();
        for (int i = 0; i < kinds.Count; i++)
        {
            double limit = kinds[i] == "cold" ? 60 : 10;
            goals.Add(string.Create(C, $"{kinds[i]} < {limit:F0} s: {Met(storms[i].WallSeconds < limit && storms[i].Failed == 0)}"));
        }

        return string.Join("; ", goals);
    }

    private static StormResult Median(List<StormResult> runs, string kind)
    {
        List<StormResult> mine = runs.FindAll(r => r.Kind == kind);
        mine.Sort((x, y) => x.WallSeconds.CompareTo(y.WallSeconds));
        return mine[mine.Count / 2];
    }

    private static string Runs(List<StormResult> runs, string kind)
    {
        return string.Join(", ", runs.FindAll(r => r.Kind == kind).ConvertAll(r => r.WallSeconds.ToString("F1", C)));
    }

    private static string P(StormResult storm, string phase)
    {
        (long p50, long p99) = storm.Phase(phase);
        return p50 < 0 ? "-" : string.Create(C, $"{p50} / {p99} ms");
    }

    private static string Mib(long bytes)
    {
        return (bytes / 1048576.0).ToString("F0", C) + " MiB";
    }

    private static string Met(bool met)
    {
        return met ? "met" : "**missed**";
    }
}
