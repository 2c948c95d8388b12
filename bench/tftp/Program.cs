using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Protocol.Tftp;

namespace TftpBench;

/// <summary>
/// Throughput of our TFTP server against tftpd-hpa, measured in the same run with the same load
/// generator: one 8 MiB file, and 200 concurrent clients each reading 1 MiB, at blksize 512/1468
/// and windowsize 1/16. Prints a markdown table and writes it to <c>--out</c>. Exit code 1 when
/// any transfer did not arrive byte for byte.
/// </summary>
public static class Program
{
    private const string BigFile = "big.bin";
    private const string SmallFile = "small.bin";

    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "serve-ours")
        {
            return ServerProcess.ServeOurs(args[1]);
        }

        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("tftp-bench: " + e.Message);
            Console.Error.WriteLine("usage: tftp-bench [--repeat N (default 5)] [--clients N] [--big-mib N] [--small-mib N] [--out FILE] [--tftpd PATH]");
            return 2;
        }

        string root = Path.Combine(Path.GetTempPath(), "tftp-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        try
        {
            return Run(settings, root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int Run(Settings settings, string root)
    {
        byte[] big = WriteFile(root, BigFile, settings.BigMiB * 1024 * 1024, 1);
        byte[] small = WriteFile(root, SmallFile, settings.SmallMiB * 1024 * 1024, 2);
        byte[] bigHash = SHA256.HashData(big);
        byte[] smallHash = SHA256.HashData(small);

        using ServerProcess ours = ServerProcess.StartOurs(root);
        using ServerProcess hpa = ServerProcess.StartTftpdHpa(settings.Tftpd, root);
        ServerProcess[] servers = { ours, hpa };
        TimeSpan limit = TimeSpan.FromSeconds(120);

        // Warm up both (JIT on our side, page cache for both).
        foreach (ServerProcess server in servers)
        {
            LoadGenerator.Run(server.EndPoint, SmallFile, 4, Options(1468, 16), small.Length, smallHash, limit);
        }

        List<Row> rows = new();
        bool allVerified = true;
        var workloads = new (string Name, string File, int Clients, long Length, byte[] Hash)[]
        {
            ("1 × " + settings.BigMiB + " MiB", BigFile, 1, big.Length, bigHash),
            (settings.Clients + " × " + settings.SmallMiB + " MiB", SmallFile, settings.Clients, small.Length, smallHash),
        };
        foreach (var workload in workloads)
        {
            foreach (int blockSize in new[] { 512, 1468 })
            {
                foreach (int windowSize in new[] { 1, 16 })
                {
                    Row row = new() { Workload = workload.Name, BlockSize = blockSize, WindowSize = windowSize };
                    for (int rep = 0; rep < settings.Repeat; rep++)
                    {
                        // Alternate the order so drift (page cache, CPU frequency) does not favour one server.
                        for (int s = 0; s < servers.Length; s++)
                        {
                            ServerProcess server = servers[(s + rep) % servers.Length];
                            BatchResult result = LoadGenerator.Run(server.EndPoint, workload.File, workload.Clients, Options(blockSize, windowSize), workload.Length, workload.Hash, limit);
                            Cell cell = server == ours ? row.Ours : row.Hpa;
                            cell.Add(result);
                            if (result.Verified != result.Transfers)
                            {
                                allVerified = false;
                                Console.Error.WriteLine(server.Name + " " + workload.Name + " blksize " + blockSize + " window " + windowSize + ": " + result.Verified + "/" + result.Transfers + " verified; " + result.FirstError);
                            }
                        }
                    }

                    Console.Error.WriteLine(row.Workload + " blksize " + blockSize + " window " + windowSize + " (client send failures so far " + LoadGenerator.SendFailures + " " + LoadGenerator.LastSendError + "): ours " + row.Ours.Describe() + ", tftpd-hpa " + row.Hpa.Describe());
                    rows.Add(row);
                }
            }
        }

        // The phone's side: its block size (1468) and the RFC 1350 default, window 1, against our server.
        List<AllocationResult> allocations = new();
        foreach (int blockSize in new[] { 1468, 512 })
        {
            PhoneAllocation.Measure(ours.EndPoint, SmallFile, Options(blockSize, 1), small.Length, smallHash); // JIT
            AllocationResult allocation = PhoneAllocation.Measure(ours.EndPoint, BigFile, Options(blockSize, 1), big.Length, bigHash);
            allVerified &= allocation.Verified;
            allocations.Add(allocation);
        }

        string report = Report(settings, rows, allocations, allVerified);
        Console.Out.Write(report);
        if (settings.Out != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.Out))!);
            File.WriteAllText(settings.Out, report);
        }

        return allVerified ? 0 : 1;
    }

    private static TftpReadOptions Options(int blockSize, int windowSize)
    {
        return new TftpReadOptions { BlockSize = blockSize, WindowSize = windowSize, RequestTransferSize = true };
    }

    private static byte[] WriteFile(string root, string name, int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(Path.Combine(root, name), data);
        return data;
    }

    private static string Report(Settings settings, List<Row> rows, List<AllocationResult> allocations, bool allVerified)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder text = new();
        text.AppendLine("# TFTP throughput: our server against tftpd-hpa");
        text.AppendLine();
        text.AppendLine("Measured by `bench/tftp/run` on " + DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", c) + " UTC, " + Environment.ProcessorCount + " CPUs, " + Environment.OSVersion.VersionString + ", .NET " + Environment.Version + ". Loopback, no loss.");
        text.AppendLine("Each cell: median MiB/s of " + settings.Repeat + " runs (the two servers alternating, one run of each in turn), with the spread (min–max) of those runs in brackets; file bytes delivered ÷ wall time from the first request to the last final ACK; every transfer checked by byte count and SHA-256" + (allVerified ? " (all verified)" : " (**SOME FAILED**, see stderr)") + ". The ratio is of the medians.");
        text.AppendLine("Both servers run in their own process; the client is our `TftpReadClient` on real UDP sockets, multiplexed on the runtime's epoll threads, requesting `tsize` as the phone does.");
        text.AppendLine();
        text.AppendLine("| workload | blksize | windowsize | ours MiB/s | tftpd-hpa MiB/s | ours / tftpd-hpa |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (Row row in rows)
        {
            double ours = row.Ours.Median;
            double hpa = row.Hpa.Median;
            string hpaText = hpa.ToString("F1", c) + " " + row.Hpa.Spread;
            if (row.Hpa.NegotiatedWindow != row.WindowSize)
            {
                hpaText = "n/a: negotiates window " + row.Hpa.NegotiatedWindow + " → " + hpaText;
            }

            string oursText = ours.ToString("F1", c) + " " + row.Ours.Spread + (row.Ours.Failures > 0 ? " (" + row.Ours.Failures + " failed)" : string.Empty);
            if (row.Hpa.Failures > 0)
            {
                hpaText += " (" + row.Hpa.Failures + " failed)";
            }

            text.AppendLine("| " + row.Workload + " | " + row.BlockSize + " | " + row.WindowSize + " | " + oursText + " | " + hpaText + " | " + (ours / hpa).ToString("F2", c) + " |");
        }

        text.AppendLine();
        text.AppendLine("tftpd-hpa does not implement RFC 7440 `windowsize`: it leaves the option out of its OACK and the client runs at window 1, so its windowsize-16 cells are what a client asking for 16 gets from it.");
        text.AppendLine();
        text.AppendLine("## The phone's side: bytes allocated per block");
        text.AppendLine();
        text.AppendLine("One `TftpReadClient` transfer of the " + settings.BigMiB + " MiB file from our server on one thread, hashed with the phone's SHA-256; `GC.GetAllocatedBytesForCurrentThread()` read around the protocol calls (core) and around the whole loop with allocation-free socket calls (loop), in steady state: from block " + PhoneAllocation.WarmUpBlocks + " to the end (the request, OACK and first ACKs left out); blocks is the number counted.");
        text.AppendLine();
        text.AppendLine("| blksize | window | blocks | core bytes/block | loop bytes/block | verified |");
        text.AppendLine("|---:|---:|---:|---:|---:|---|");
        foreach (AllocationResult a in allocations)
        {
            text.AppendLine("| " + a.BlockSize + " | " + a.WindowSize + " | " + a.Blocks + " | " + a.CorePerBlock.ToString("F1", c) + " | " + a.LoopPerBlock.ToString("F1", c) + " | " + (a.Verified ? "yes" : "NO") + " |");
        }

        return text.ToString();
    }

    private sealed class Settings
    {
        public int Repeat { get; private set; } = 5;

        public int Clients { get; private set; } = 200;

        public int BigMiB { get; private set; } = 8;

        public int SmallMiB { get; private set; } = 1;

        public string? Out { get; private set; }

        public string Tftpd { get; private set; } = "/usr/sbin/in.tftpd";

        public static Settings Parse(string[] args)
        {
            Settings settings = new();
            for (int i = 0; i < args.Length; i++)
            {
                string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException(args[i] + " needs a value");
                switch (args[i])
                {
                    case "--repeat":
                        settings.Repeat = Positive(args[i], value);
                        break;
                    case "--clients":
                        settings.Clients = Positive(args[i], value);
                        break;
                    case "--big-mib":
                        settings.BigMiB = Positive(args[i], value);
                        break;
                    case "--small-mib":
                        settings.SmallMiB = Positive(args[i], value);
                        break;
                    case "--out":
                        settings.Out = value;
                        break;
                    case "--tftpd":
                        settings.Tftpd = value;
                        break;
                    default:
                        throw new ArgumentException("unknown argument " + args[i]);
                }

                i++;
            }

            return settings;
        }

        private static int Positive(string name, string value)
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1)
            {
                throw new ArgumentException(name + " must be a positive integer");
            }

            return number;
        }
    }

    private sealed class Row
    {
        public string Workload { get; init; } = string.Empty;

        public int BlockSize { get; init; }

        public int WindowSize { get; init; }

        public Cell Ours { get; } = new();

        public Cell Hpa { get; } = new();
    }

    private sealed class Cell
    {
        private readonly List<double> _rates = new();

        public int Failures { get; private set; }

        public int NegotiatedWindow { get; private set; }

        public double Median
        {
            get
            {
                if (_rates.Count == 0)
                {
                    return double.NaN;
                }

                List<double> sorted = new(_rates);
                sorted.Sort();
                int middle = sorted.Count / 2;
                return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
            }
        }

        /// <summary>The lowest and highest run, "(min–max)".</summary>
        public string Spread
        {
            get
            {
                if (_rates.Count == 0)
                {
                    return string.Empty;
                }

                List<double> sorted = new(_rates);
                sorted.Sort();
                return "(" + sorted[0].ToString("F1", CultureInfo.InvariantCulture) + "–" + sorted[^1].ToString("F1", CultureInfo.InvariantCulture) + ")";
            }
        }

        public void Add(BatchResult result)
        {
            _rates.Add(result.MiBPerSecond);
            NegotiatedWindow = result.NegotiatedWindowSize;
            if (result.Verified != result.Transfers)
            {
                Failures++;
            }
        }

        public string Describe()
        {
            return string.Join("/", _rates.ConvertAll(r => r.ToString("F1", CultureInfo.InvariantCulture))) + " MiB/s";
        }
    }
}
