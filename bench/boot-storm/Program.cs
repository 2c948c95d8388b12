using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Bench.Shared;
using DhcpBench;
using RegistrationStorm;

namespace BootStorm;

/// <summary>
/// `boot-storm`: a fleet of phone cores powers up at once against a two-element cluster of
/// `controller serve` processes, cold and warm, and each phase's bound is measured in the same
/// run with tools we did not write. See bench/README.md. Exit 1 when a phone did not register
/// or a bound could not be measured, 2 for bad arguments or a missing peer.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "serve-echo")
        {
            return await Servers.ServeEcho(IPAddress.Parse(args[1])).ConfigureAwait(false);
        }

        if (args.Length >= 5 && args[0] == "tcp-baseline")
        {
            return await TcpBaseline(args).ConfigureAwait(false);
        }

        return NamespaceBench.Run("boot-storm", args, Settings.Usage, Settings.Parse, _ => Missing(), Run, keepWorkWhenFailed: true);
    }

    private static int Run(Settings settings, NamespacePair pair, string work)
    {
        string startLoad = LoadAverage();
        Stopwatch total = Stopwatch.StartNew();
        Console.Error.WriteLine($"boot-storm: {settings.Count} phones, storms {string.Join(",", settings.Storms)} x {settings.Repeat}; seeding the cluster in {work}...");
        using Cluster cluster = new(pair, work, settings);
        ProcessSample[] idle = Array.ConvertAll(new List<Cluster.Element>(cluster.Elements).ToArray(), e => e.Sample());

        List<StormResult> storms = new();
        List<(double Rate, double Seconds)> registrationPace = new();
        for (int run = 0; run < settings.Repeat; run++)
        {
            foreach (string kind in settings.Storms)
            {
                foreach (Cluster.Element element in cluster.Elements)
                {
                    element.ResetReplies();
                }

                StormResult storm = FleetStorm.Run(kind, pair, cluster, settings, work);
                storms.Add(storm);
                registrationPace.Add(Pace(cluster));
                Thread.Sleep(2_000); // the elements see the fleet's links close
            }
        }

        BoundResult dhcp = Bounds.Dhcp(pair, settings);
        List<BoundResult> tftp = new();
        foreach (string kind in settings.Storms)
        {
            tftp.Add(kind == "cold"
                ? Bounds.Tftp(pair, settings, work, new[] { "boot.manifest", Cluster.ImageFile }, cluster.ManifestBytes + cluster.ImageBytes)
                : Bounds.Tftp(pair, settings, work, new[] { "boot.manifest" }, cluster.ManifestBytes));
            Console.Error.WriteLine($"boot-storm: {tftp[^1].Tool}: {tftp[^1].PhonesPerSecond:F0} phones/s ({tftp[^1].Detail})");
        }

        BoundResult tcp = Bounds.Tcp(pair, settings);
        Console.Error.WriteLine($"boot-storm: {tcp.Tool}: {tcp.PhonesPerSecond:F0}/s ({tcp.Detail})");

        string report = Report.Markdown(settings, cluster, storms, registrationPace, idle, dhcp, tftp, tcp, startLoad, LoadAverage(), total.Elapsed);
        Console.Out.Write(report);
        if (settings.Out != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.Out))!);
            File.WriteAllText(settings.Out, report);
        }

        return storms.Exists(s => s.Failed > 0 || s.Registered != s.Phones) ? 1 : 0;
    }

    // Registered replies per second as the elements logged them: first to last line, both elements.
    private static (double Rate, double Seconds) Pace(Cluster cluster)
    {
        long first = long.MaxValue;
        long last = 0;
        int count = 0;
        foreach (Cluster.Element element in cluster.Elements)
        {
            (long f, long l) = element.RegisteredSpan;
            first = Math.Min(first, f);
            last = Math.Max(last, l);
            count += element.RegisteredReplies;
        }

        double seconds = count < 2 ? 0 : Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        return (seconds > 0 ? count / seconds : 0, seconds);
    }

    private static async Task<int> TcpBaseline(string[] args)
    {
        IPEndPoint server = new(IPAddress.Parse(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture));
        int clients = int.Parse(args[3], CultureInfo.InvariantCulture);
        int concurrency = int.Parse(args[4], CultureInfo.InvariantCulture);

        // One unmeasured tenth first, as bench/registration-storm does: JIT and thread-pool growth.
        (await LoadGenerator.Baseline(server, (clients + 9) / 10, concurrency).ConfigureAwait(false)).Close();
        RunResult result = await LoadGenerator.Baseline(server, clients, concurrency).ConfigureAwait(false);
        result.Close();
        if (result.Failed > 0)
        {
            Console.Out.WriteLine("failed " + result.Failed + ": " + result.FirstFailure);
            return 1;
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline {result.Seconds:F3} {result.Rate:F0} {result.Percentile(50):F0} {result.Percentile(99):F0}"));
        return 0;
    }

    private static string? Missing()
    {
        return NamespaceBench.MissingPeer("needs root (network namespaces, the relay's port 67)", Perfdhcp.Binary, "/usr/bin/curl", "/usr/bin/time", "/usr/sbin/ip");
    }

    private static string LoadAverage()
    {
        return File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }
}
