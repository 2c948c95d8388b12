using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Microsoft.Data.Sqlite;

namespace DhcpBench;

public static class ServerKinds
{
    public const string Ours = "ours";
    public const string Kea = "kea";
    public const string Dnsmasq = "dnsmasq";

    public static readonly string[] All = { Ours, Kea, Dnsmasq };

    public static string Title(string kind)
    {
        return kind switch
        {
            Ours => "ours (controller serve, SQLite)",
            Kea => "Kea 2.2 (memfile)",
            _ => "dnsmasq (lease file)",
        };
    }
}

/// <summary>
/// One DHCP server under test, started fresh (empty lease storage) inside the server namespace,
/// serving the same /16 pool with one-hour leases and persisting every lease:
/// ours is the real <c>controller serve</c> (leases in its SQLite database, WAL, synchronous=NORMAL);
/// Kea's memfile with <c>persist: true</c> and the lease-file cleanup at its default hour;
/// dnsmasq with a lease file, the lease limit raised to the pool, per-lease logging and the ping check off.
/// </summary>
public sealed class ServerUnderTest : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private ServerUnderTest(string kind, Process process, string directory)
    {
        Kind = kind;
        _process = process;
        _directory = directory;
    }

    public string Kind { get; }

    public static ServerUnderTest Start(string kind, NamespacePair pair, string directory, Settings settings)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        string arguments = kind switch
        {
            ServerKinds.Ours => OursArguments(pair, directory, settings),
            ServerKinds.Kea => KeaArguments(pair, directory),
            _ => DnsmasqArguments(pair, directory),
        };
        ProcessStartInfo start = new("/usr/sbin/ip", "netns exec " + pair.ServerNamespace + " " + arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + kind);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null && kind == ServerKinds.Ours)
            {
                Console.Error.WriteLine("  ours: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ServerUnderTest server = new(kind, process, directory);
        Stopwatch waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(kind + " exited at start-up (exit " + process.ExitCode + "); its files are in " + directory);
            }

            if (Perfdhcp.Probe(pair))
            {
                return server;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                server.Dispose();
                throw new InvalidOperationException(kind + " did not answer a DHCP exchange within 30 s");
            }

            Thread.Sleep(200);
        }
    }

    /// <summary>Resident set size now, in bytes (/proc/PID/status VmRSS).</summary>
    public long ResidentBytes => ProcStatus("VmRSS:");

    /// <summary>Peak resident set size of the process's life, in bytes (VmHWM).</summary>
    public long PeakResidentBytes => ProcStatus("VmHWM:");

    /// <summary>CPU time (user + system) the server process has used.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>Leases on disk after the server stopped: rows, memfile addresses, lease-file lines.</summary>
    public int LeasesOnDisk()
    {
        switch (Kind)
        {
            case ServerKinds.Ours:
                using (SqliteConnection connection = new("Data Source=" + Path.Combine(_directory, "ours.db") + ";Pooling=False"))
                {
                    connection.Open();
                    using SqliteCommand count = connection.CreateCommand();
                    count.CommandText = "SELECT count(*) FROM dhcp_leases WHERE state = 1";
                    return (int)(long)count.ExecuteScalar()!;
                }

            case ServerKinds.Kea:
                // The memfile appends one line per change; the latest line per address counts.
                HashSet<string> addresses = new();
                foreach (string file in Directory.GetFiles(_directory, "kea-leases.csv*"))
                {
                    foreach (string line in File.ReadLines(file))
                    {
                        string address = line.Split(',')[0];
                        if (address != "address")
                        {
                            addresses.Add(address);
                        }
                    }
                }

                return addresses.Count;
            default:
                string leases = Path.Combine(_directory, "dnsmasq.leases");
                return File.Exists(leases) ? File.ReadAllLines(leases).Length : 0;
        }
    }

    /// <summary>SIGTERM, so each server ends as it would in service; SIGKILL after 10 s.</summary>
    public void Stop()
    {
        if (_process.HasExited)
        {
            return;
        }

        NamespacePair.Run("/bin/kill", "-TERM " + _process.Id.ToString(CultureInfo.InvariantCulture));
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private static string OursArguments(NamespacePair pair, string directory, Settings settings)
    {
        Directory.CreateDirectory(Path.Combine(directory, "boot"));
        string config = Path.Combine(directory, "controller.json");
        File.WriteAllText(config, $$"""
            {
              "element": { "name": "dhcp-bench", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "{{pair.ServerAddress}}",
              "ports": { "dhcp": 67, "tftp": 0, "registration": 0 },
              "database": "ours.db",
              "dhcp": { "enabled": true, "poolStart": "{{pair.PoolStart}}", "poolEnd": "{{pair.PoolEnd}}", "subnetMask": "255.255.0.0", "router": "{{pair.ServerAddress}}", "leaseSeconds": 3600 },
              "tftp": { "enabled": false },
              "admin": { "enabled": false }
            }
            """);
        return "dotnet " + Path.GetFullPath(settings.Controller) + " serve --config " + config;
    }

    private static string KeaArguments(NamespacePair pair, string directory)
    {
        string config = Path.Combine(directory, "kea-dhcp4.json");
        File.WriteAllText(config, $$"""
            { "Dhcp4": {
              "interfaces-config": { "interfaces": [ "{{pair.ServerInterface}}/{{pair.ServerAddress}}" ], "dhcp-socket-type": "udp" },
              "lease-database": { "type": "memfile", "persist": true, "name": "{{Path.Combine(directory, "kea-leases.csv")}}", "lfc-interval": 3600 },
              "valid-lifetime": 3600,
              "subnet4": [ { "id": 1, "subnet": "{{pair.Prefix}}0.0/16", "pools": [ { "pool": "{{pair.PoolStart}} - {{pair.PoolEnd}}" } ],
                             "option-data": [ { "name": "routers", "data": "{{pair.ServerAddress}}" } ] } ],
              "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "{{Path.Combine(directory, "kea.log")}}" } ], "severity": "WARN" } ]
            } }
            """);
        return "/usr/bin/env KEA_PIDFILE_DIR=" + directory + " KEA_LOCKFILE_DIR=" + directory + " /usr/sbin/kea-dhcp4 -c " + config;
    }

    private static string DnsmasqArguments(NamespacePair pair, string directory)
    {
        string config = Path.Combine(directory, "dnsmasq.conf");
        File.WriteAllLines(config, new[]
        {
            "port=0",
            "interface=" + pair.ServerInterface,
            "bind-interfaces",
            "pid-file=",
            "quiet-dhcp",

            // Its ping check answers a new client only on a retransmitted DISCOVER, and perfdhcp never retransmits.
            "no-ping",
            "dhcp-leasefile=" + Path.Combine(directory, "dnsmasq.leases"),
            "dhcp-lease-max=70000",
            "dhcp-range=" + pair.PoolStart + "," + pair.PoolEnd + ",255.255.0.0,1h",
            "dhcp-option=3," + pair.ServerAddress,
        });
        return "/usr/sbin/dnsmasq --no-daemon --conf-file=" + config;
    }

    private long ProcStatus(string field)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/" + _process.Id.ToString(CultureInfo.InvariantCulture) + "/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // the process is gone
        }

        return 0;
    }
}
