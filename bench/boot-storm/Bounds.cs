using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text;
using DhcpBench;

namespace BootStorm;

/// <summary>One bound: a tool we did not write doing a phase's work against the same server.</summary>
public sealed class BoundResult
{
    public string Tool { get; init; } = string.Empty;

    public double Seconds { get; init; }

    /// <summary>Phones' worth of the phase per second (DHCP exchanges, boot-file sets, round trips).</summary>
    public double PhonesPerSecond { get; init; }

    public string Detail { get; init; } = string.Empty;
}

/// <summary>
/// The bounds of each phase, measured in the same run against the same servers: perfdhcp (as a
/// relay at the client address) against element A's DHCP server; curl fetching the same boot files
/// from element A's TFTP server; the bare TCP round trip of bench/registration-storm between the
/// two namespaces.
/// </summary>
public static class Bounds
{
    private const string PerfdhcpMacBase = "00:0c:01:00:00:00";

    /// <summary>perfdhcp at each rate; the bound is the most ACKs per second of any cell.</summary>
    public static BoundResult Dhcp(NamespacePair pair, Settings settings)
    {
        PerfdhcpResult? best = null;
        List<string> cells = new();
        foreach (int rate in settings.DhcpRates)
        {
            PerfdhcpResult cell = Perfdhcp.Run(pair, rate, settings.PerfdhcpSeconds, 100_000, PerfdhcpMacBase);
            cells.Add(string.Create(CultureInfo.InvariantCulture, $"{rate}/s offered: {cell.ExchangesPerSecond:F0} ACK/s, {cell.DropPercent:F1} % dropped"));
            Console.Error.WriteLine("boot-storm: perfdhcp " + cells[^1]);
            if (best == null || cell.ExchangesPerSecond > best.ExchangesPerSecond)
            {
                best = cell;
            }
        }

        return new BoundResult
        {
            Tool = "perfdhcp",
            Seconds = settings.PerfdhcpSeconds,
            PhonesPerSecond = best!.ExchangesPerSecond,
            Detail = string.Join("; ", cells),
        };
    }

    /// <summary>
    /// curl fetching each phone's files once per phone (blksize 1468, as the phone asks):
    /// <c>--curl-parallel</c> curl processes at once, each fetching its share one transfer after the
    /// other. (curl's own -Z parallel mode loses TFTP transfers here: "getpeername() failed with errno 107".)
    /// </summary>
    public static BoundResult Tftp(NamespacePair pair, Settings settings, string directory, string[] files, long bytesPerPhone)
    {
        int processes = Math.Min(settings.CurlParallel, settings.Count);
        List<string> configs = new();
        for (int p = 0; p < processes; p++)
        {
            StringBuilder text = new();
            for (int i = p; i < settings.Count; i += processes)
            {
                foreach (string file in files)
                {
                    text.Append("url = \"tftp://").Append(pair.ServerAddress).Append(":69/").Append(file).Append("\"\noutput = \"/dev/null\"\n");
                }
            }

            string config = Path.Combine(directory, "curl-" + files[^1] + "-" + p.ToString(CultureInfo.InvariantCulture) + ".conf");
            File.WriteAllText(config, text.ToString());
            configs.Add(config);
        }

        Stopwatch wall = Stopwatch.StartNew();
        List<Process> running = configs.ConvertAll(config =>
        {
            ProcessStartInfo start = new("/usr/sbin/ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in new[] { "netns", "exec", pair.ClientNamespace, "curl", "-s", "-S", "--tftp-blksize", "1468", "-w", "%{size_download}\n", "-K", config })
            {
                start.ArgumentList.Add(argument);
            }

            return Process.Start(start) ?? throw new InvalidOperationException("cannot start curl");
        });
        List<(System.Threading.Tasks.Task<string> Out, System.Threading.Tasks.Task<string> Error)> outputs = running.ConvertAll(p => (p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync()));
        running.ForEach(p => p.WaitForExit());
        wall.Stop();
        long bytes = 0;
        int transfers = 0;
        string errors = string.Empty;
        for (int p = 0; p < running.Count; p++)
        {
            foreach (string line in outputs[p].Out.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                {
                    bytes += size;
                    transfers++;
                }
            }

            errors += running[p].ExitCode != 0 && errors.Length == 0 ? "exit " + running[p].ExitCode + ": " + outputs[p].Error.Result.Trim() : string.Empty;
            running[p].Dispose();
        }

        long expected = bytesPerPhone * settings.Count;
        if (errors.Length > 0 || bytes != expected)
        {
            throw new InvalidOperationException($"curl fetched {bytes} of {expected} bytes in {transfers} transfers ({errors})");
        }

        double seconds = wall.Elapsed.TotalSeconds;
        return new BoundResult
        {
            Tool = "curl " + string.Join(" + ", files),
            Seconds = seconds,
            PhonesPerSecond = settings.Count / seconds,
            Detail = string.Create(CultureInfo.InvariantCulture, $"{transfers:N0} transfers, {bytes / seconds / 1048576:F1} MiB/s, {processes} curl processes at once"),
        };
    }

    /// <summary>bench/registration-storm's bare TCP baseline: connect + one Register-sized echo, from the client namespace to the server's.</summary>
    public static BoundResult Tcp(NamespacePair pair, Settings settings)
    {
        using Process echo = StartSelf(pair.ServerNamespace, "serve-echo", pair.ServerAddress);
        string? ready = echo.StandardOutput.ReadLine();
        if (ready == null || !ready.StartsWith("ready ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the echo server did not start: " + ready);
        }

        try
        {
            using Process client = StartSelf(pair.ClientNamespace, "tcp-baseline", pair.ServerAddress, ready[6..], settings.Count.ToString(CultureInfo.InvariantCulture), settings.Concurrency.ToString(CultureInfo.InvariantCulture));
            string result = client.StandardOutput.ReadToEnd();
            client.WaitForExit();
            string[] fields = result.Trim().Split(' ');
            if (client.ExitCode != 0 || fields.Length < 5 || fields[0] != "baseline")
            {
                throw new InvalidOperationException("the TCP baseline failed (exit " + client.ExitCode + "): " + result.Trim());
            }

            double seconds = double.Parse(fields[1], CultureInfo.InvariantCulture);
            return new BoundResult
            {
                Tool = "bare TCP round trip",
                Seconds = seconds,
                PhonesPerSecond = double.Parse(fields[2], CultureInfo.InvariantCulture),
                Detail = $"p50 {fields[3]} ms, p99 {fields[4]} ms, {settings.Concurrency:N0} at a time",
            };
        }
        finally
        {
            echo.StandardInput.WriteLine("quit");
            echo.StandardInput.Flush();
            if (!echo.WaitForExit(10_000))
            {
                echo.Kill();
            }
        }
    }

    private static Process StartSelf(string space, params string[] arguments)
    {
        ProcessStartInfo start = new("/usr/sbin/ip") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "netns", "exec", space, Environment.ProcessPath! })
        {
            start.ArgumentList.Add(argument);
        }

        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start " + arguments[0]);
    }
}
