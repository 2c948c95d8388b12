using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using DhcpBench;

namespace BootStorm;

/// <summary>
/// The two-element cluster under test: two `controller serve` processes in the server namespace,
/// on the same address. A (CEID 1) serves DHCP (port 67, relayed), TFTP (port 69, the boot
/// directory with its manifest) and registration (6800); B (CEID 2) registration only (6810).
/// Phone i has DN <see cref="FirstDn"/> + i; the first half are homed on A, the rest on B, so A
/// redirects them. No Remote Directory Numbers are seeded: the elements' start-up RdnUpdate
/// synchronisation supplies them, and the cluster is ready once each lists all of the other's.
/// </summary>
public sealed class Cluster : IDisposable
{
    public const long FirstDn = 100_000;
    public const int RegistrationPortA = 6800;
    public const int RegistrationPortB = 6810;
    public const string ImageFile = "boot.img";

    private readonly NamespacePair _pair;
    private readonly List<Element> _elements = new();

    public Cluster(NamespacePair pair, string directory, Settings settings)
    {
        _pair = pair;
        Directory.CreateDirectory(Path.Combine(directory, "boot"));
        byte[] image = RandomNumberGenerator.GetBytes(settings.ImageKib * 1024);
        File.WriteAllBytes(Path.Combine(directory, "boot", ImageFile), image);
        ImageBytes = image.Length;

        // The manifest's version of a file: the first 12 hex digits of its SHA-256 (Controller/Tftp/BootManifestBuilder).
        ImageVersion = Convert.ToHexString(SHA256.HashData(image))[..12].ToLowerInvariant();
        int half = settings.Count / 2;
        _elements.Add(Element.Start(pair, directory, "a", settings, ConfigA(pair, settings, half)));
        _elements.Add(Element.Start(pair, directory, "b", settings, ConfigB(pair, settings, half)));
        WaitForRdnSync(half, settings.Count - half);
        string manifest = Path.Combine(directory, "boot.manifest");
        (int exitCode, string output) = NamespacePair.Run("/usr/sbin/ip", "netns exec " + pair.ClientNamespace + " curl -s -S -o " + manifest + " tftp://" + pair.ServerAddress + ":69/boot.manifest");
        if (exitCode != 0)
        {
            throw new InvalidOperationException("curl could not fetch boot.manifest from element A: " + output.Trim());
        }

        ManifestBytes = new FileInfo(manifest).Length;
    }

    public int ImageBytes { get; }

    /// <summary>The manifest element A serves (built at its start-up from the boot directory).</summary>
    public long ManifestBytes { get; }

    /// <summary>boot.img's version in the manifest: a warm storm's phones hold it as installed and skip the image.</summary>
    public string ImageVersion { get; }

    public IReadOnlyList<Element> Elements => _elements;

    public string Address => _pair.ServerAddress;

    public void Dispose()
    {
        foreach (Element element in _elements)
        {
            element.Dispose();
        }
    }

    private static string ConfigA(NamespacePair pair, Settings settings, int half)
    {
        // Every phone comes from the fleet's one address, so the per-source limit is the count; past 256
        // transfers at once (a thread each) the rest wait in the admission queue instead of being refused "busy".
        return Config(pair, "storm-a", 1, RegistrationPortA, 2, RegistrationPortB, 0, half, $$"""
              "ports": { "dhcp": 67, "tftp": 69, "registration": {{RegistrationPortA}} },
              "dhcp": { "enabled": true, "poolStart": "{{pair.PoolStart}}", "poolEnd": "{{pair.PoolEnd}}", "subnetMask": "255.255.0.0", "router": "{{pair.ServerAddress}}", "leaseSeconds": 3600 },
              "tftp": { "enabled": true, "root": "boot", "maxConcurrentTransfers": 256, "maxQueuedRequests": {{settings.Count}}, "maxTransfersPerSource": {{settings.Count}} },
            """);
    }

    private static string ConfigB(NamespacePair pair, Settings settings, int half)
    {
        return Config(pair, "storm-b", 2, RegistrationPortB, 1, RegistrationPortA, half, settings.Count, $$"""
              "ports": { "dhcp": 0, "tftp": 0, "registration": {{RegistrationPortB}} },
              "dhcp": { "enabled": false },
              "tftp": { "enabled": false },
            """);
    }

    private static string Config(NamespacePair pair, string name, int ceid, int port, int otherCeid, int otherPort, int firstLocal, int endLocal, string servers)
    {
        StringBuilder directory = new();
        for (int i = firstLocal; i < endLocal; i++)
        {
            directory.Append(CultureInfo.InvariantCulture, $"{(i == firstLocal ? string.Empty : ",\n    ")}{{ \"number\": \"{FirstDn + i}\", \"name\": \"Storm set {FirstDn + i}\" }}");
        }

        return $$"""
            {
              "element": { "name": "{{name}}", "ceidIndex": {{ceid}}, "ceidDigits": "{{ceid}}" },
              "listenAddress": "{{pair.ServerAddress}}",
              "database": "{{name}}.db",
            {{servers}}
              "admin": { "enabled": true, "port": 0 },
              "registration": { "maxConnectionsPerSource": {{Math.Max(16384, 2 * (endLocal - firstLocal) + 1000)}} },
              "clusterElements": [ { "ceidIndex": {{otherCeid}}, "ceidDigits": "{{otherCeid}}", "address": "{{pair.ServerAddress}}", "registrationPort": {{otherPort}} } ],
              "telephoneDirectory": [
                {{directory}}
              ]
            }
            """;
    }

    // Each element announces its directory to the other (one RdnUpdate link per DN): wait until both lists are whole.
    private void WaitForRdnSync(int dnsOnA, int dnsOnB)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (true)
        {
            int onA = _elements[0].CountRemoteNumbers(_pair);
            int onB = _elements[1].CountRemoteNumbers(_pair);
            if (onA >= dnsOnB && onB >= dnsOnA)
            {
                Console.Error.WriteLine($"boot-storm: cluster ready, RDN synchronisation done in {waited.Elapsed.TotalSeconds:F1} s");
                return;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(180))
            {
                throw new InvalidOperationException($"RDN synchronisation stuck: A lists {onA} of B's {dnsOnB} DNs, B {onB} of A's {dnsOnA}");
            }

            Thread.Sleep(500);
        }
    }

    /// <summary>One `controller serve` process; its output goes to a log file beside its database.</summary>
    public sealed class Element : IDisposable
    {
        private readonly Process _process;
        private readonly string _database;
        private readonly StreamWriter _log;
        private int _registered;
        private long _firstRegisteredAt = long.MaxValue;
        private long _lastRegisteredAt;

        private Element(Process process, string database, StreamWriter log, string name)
        {
            _process = process;
            _database = database;
            _log = log;
            Name = name;
        }

        public string Name { get; }

        public int Pid => _process.Id;

        /// <summary>Registered replies the element has logged (one line each) since <see cref="ResetReplies"/>.</summary>
        public int RegisteredReplies => Volatile.Read(ref _registered);

        /// <summary>When the first and the last of those lines arrived (<see cref="Stopwatch.GetTimestamp"/>).</summary>
        public (long First, long Last) RegisteredSpan => (Interlocked.Read(ref _firstRegisteredAt), Interlocked.Read(ref _lastRegisteredAt));

        public void ResetReplies()
        {
            Interlocked.Exchange(ref _registered, 0);
            Interlocked.Exchange(ref _firstRegisteredAt, long.MaxValue);
            Interlocked.Exchange(ref _lastRegisteredAt, 0);
        }

        public static Element Start(NamespacePair pair, string directory, string letter, Settings settings, string config)
        {
            string name = "storm-" + letter;
            string configPath = Path.Combine(directory, name + ".json");
            File.WriteAllText(configPath, config);
            ProcessStartInfo start = new("/usr/sbin/ip")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory,
            };
            foreach (string argument in new[] { "netns", "exec", pair.ServerNamespace, "dotnet", Path.GetFullPath(settings.Controller), "serve", "--config", configPath })
            {
                start.ArgumentList.Add(argument);
            }

            Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + name);
            StreamWriter log = new(Path.Combine(directory, name + ".log")) { AutoFlush = false };
            Element element = new(process, Path.Combine(directory, name + ".db"), log, name);
            using ManualResetEventSlim ready = new();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data == null)
                {
                    return;
                }

                if (e.Data.Contains("<- Registered", StringComparison.Ordinal))
                {
                    // The element logs every reply as it sends it: its registrations' pace, seen from outside.
                    long now = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref element._registered);
                    if (now < Interlocked.Read(ref element._firstRegisteredAt))
                    {
                        Interlocked.Exchange(ref element._firstRegisteredAt, now);
                    }

                    Interlocked.Exchange(ref element._lastRegisteredAt, now);
                }
                else
                {
                    lock (log)
                    {
                        log.WriteLine(e.Data);
                    }
                }

                if (e.Data.Contains("option 125", StringComparison.Ordinal))
                {
                    ready.Set();
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    Console.Error.WriteLine("  " + name + ": " + e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!ready.Wait(TimeSpan.FromSeconds(120)) || process.HasExited)
            {
                element.Dispose();
                throw new InvalidOperationException(name + " did not start (see " + Path.Combine(directory, name + ".log") + ")");
            }

            return element;
        }

        public ProcessSample Sample()
        {
            return ProcessSample.Of(_process.Id);
        }

        /// <summary>How many Remote Directory Numbers the element lists (its admin API, asked with curl inside the namespace).</summary>
        public int CountRemoteNumbers(NamespacePair pair)
        {
            string endpoint = _database + ".admin.json";
            if (!File.Exists(endpoint))
            {
                return 0;
            }

            (Uri address, string token) = Controller.Admin.AdminEndpoint.Read(endpoint);
            (int exitCode, string output) = NamespacePair.Run("/usr/sbin/ip", "netns exec " + pair.ServerNamespace + " curl -s -H \"Authorization: Bearer " + token + "\" " + new Uri(address, "/api/remote-directory-numbers"));
            if (exitCode != 0)
            {
                return 0;
            }

            int count = 0;
            for (int at = output.IndexOf("\"number\"", StringComparison.OrdinalIgnoreCase); at >= 0; at = output.IndexOf("\"number\"", at + 1, StringComparison.OrdinalIgnoreCase))
            {
                count++;
            }

            return count;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                NamespacePair.Run("/bin/kill", "-TERM " + _process.Id.ToString(CultureInfo.InvariantCulture));
                if (!_process.WaitForExit(15_000))
                {
                    _process.Kill();
                }
            }

            _process.WaitForExit();
            lock (_log)
            {
                _log.Dispose();
            }

            _process.Dispose();
        }
    }
}
