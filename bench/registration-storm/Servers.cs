using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller;
using Controller.Configuration;

namespace RegistrationStorm;

/// <summary>
/// The server side of the benchmark, each in a child process of its own so that its memory and
/// CPU are its own: `serve-cluster` (two <see cref="ControllerElement"/>s, as `controller serve`
/// runs them) and `serve-echo` (the bare TCP baseline). Both print `ready PORT [PORT]` and then
/// answer `mark` (start measuring) and `stats` (one line of key=value) on stdin.
/// </summary>
public static class Servers
{
    /// <summary>Phone i has DN FirstDn + i (so `phone fleet --dn-base` names the same DNs); the first half are homed on A, the rest on B.</summary>
    public const int FirstDn = 10000;

    /// <summary>The MAC of phone 0; phone i has this plus i (as `phone fleet --mac-base`).</summary>
    public const string MacBase = "00:08:5d:00:00:00";

    /// <summary>The DN of phone <paramref name="index"/> (<paramref name="phones"/> decides only where it is homed).</summary>
    public static string Dn(int index, int phones)
    {
        return (FirstDn + index).ToString(CultureInfo.InvariantCulture);
    }

    public static byte[] Mac(int index)
    {
        return new byte[] { 0x00, 0x08, 0x5d, (byte)(index >> 16), (byte)(index >> 8), (byte)index };
    }

    public static string MacText(int index)
    {
        byte[] mac = Mac(index);
        return string.Join(":", Array.ConvertAll(mac, b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    public static async Task<int> ServeCluster(string directory, int phones)
    {
        Directory.CreateDirectory(directory);
        foreach (string file in Directory.GetFiles(directory, "element-*.db*"))
        {
            File.Delete(file);
        }

        int portA = FreePort();
        int portB = FreePort();
        int half = phones / 2;
        ControllerConfig a = ElementConfig("element-a", 1, portA, Path.Combine(directory, "element-a.db"), 2, portB, phones, 0, half, half, phones);
        ControllerConfig b = ElementConfig("element-b", 2, portB, Path.Combine(directory, "element-b.db"), 1, portA, phones, half, phones, 0, half);
        Stopwatch seeding = Stopwatch.StartNew();
        await using ControllerElement elementA = new(a);
        await using ControllerElement elementB = new(b);
        Console.Error.WriteLine($"serve-cluster: seeded two databases in {seeding.Elapsed.TotalSeconds:F1} s");

        // Each element announces its Telephone Directory to the other at start-up (one connection per
        // DN; A's first attempts are refused until B listens and retried 3 s later): let that settle first.
        elementA.Start();
        elementB.Start();
        Stopwatch sync = Stopwatch.StartNew();
        while (elementA.RdnSynchronizer!.Delivered < phones - half || elementB.RdnSynchronizer!.Delivered < half)
        {
            if (sync.Elapsed > TimeSpan.FromSeconds(120))
            {
                Console.Error.WriteLine($"serve-cluster: RDN synchronisation stuck at {elementA.RdnSynchronizer.Delivered} (from A) and {elementB.RdnSynchronizer!.Delivered} (from B)");
                return 1;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        Console.Error.WriteLine($"serve-cluster: RDN synchronisation done in {sync.Elapsed.TotalSeconds:F1} s");
        await Task.Delay(1_000).ConfigureAwait(false); // the last updates were written; let the elements apply them
        RegistrationPace pace = new();
        elementA.Registration!.Replied += pace.Replied;
        elementB.Registration!.Replied += pace.Replied;
        elementA.Registration!.Decided += pace.Decided;
        elementB.Registration!.Decided += pace.Decided;
        return await Serve($"ready {elementA.RegistrationPort} {elementB.RegistrationPort}", pace, () =>
            $"registered_a={elementA.Registration!.LiveRegistrations().Count} registered_b={elementB.Registration!.LiveRegistrations().Count} malformed={elementA.Registration!.MalformedFrames + elementB.Registration!.MalformedFrames}").ConfigureAwait(false);
    }

    /// <summary>The bare TCP server on a free port of <paramref name="address"/> (loopback when null; bench/boot-storm binds the server namespace's address).</summary>
    public static async Task<int> ServeEcho(IPAddress? address = null)
    {
        using Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        listener.Listen(); // the same backlog as the registration server's listener
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        int connections = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref connections);
                _ = Echo(client);
            }
        });
        return await Serve($"ready {port}", new RegistrationPace(), () => $"connections={Volatile.Read(ref connections)}").ConfigureAwait(false);
    }

    // The trivial server: whatever arrives goes straight back, until the peer closes.
    private static async Task Echo(Socket client)
    {
        client.NoDelay = true;
        byte[] buffer = new byte[1028];
        try
        {
            while (true)
            {
                int count = await client.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (count == 0)
                {
                    return;
                }

                await client.SendAsync(buffer.AsMemory(0, count), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (SocketException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    // The command loop on stdin, with memory and CPU sampled between `mark` and `stats`.
    private static async Task<int> Serve(string readyLine, RegistrationPace pace, Func<string> extra)
    {
        Console.Out.WriteLine(readyLine);
        Console.Out.Flush();
        using Process self = Process.GetCurrentProcess();
        long peakWorkingSet = 0;
        long peakGcHeap = 0;
        long allocatedAtMark = 0;
        TimeSpan cpuAtMark = TimeSpan.Zero;
        int gen0AtMark = 0;
        int gen2AtMark = 0;
        CancellationTokenSource? sampling = null;
        Task? sampler = null;
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is string command)
        {
            switch (command.Trim())
            {
                case "mark":
                    if (sampling != null)
                    {
                        await sampling.CancelAsync().ConfigureAwait(false);
                        await sampler!.ConfigureAwait(false);
                        sampling.Dispose();
                    }

                    GC.Collect();
                    self.Refresh();
                    cpuAtMark = self.TotalProcessorTime;
                    allocatedAtMark = GC.GetTotalAllocatedBytes(false);
                    gen0AtMark = GC.CollectionCount(0);
                    gen2AtMark = GC.CollectionCount(2);
                    sampling = new CancellationTokenSource();
                    CancellationToken token = sampling.Token;
                    sampler = Task.Run(async () =>
                    {
                        while (!token.IsCancellationRequested)
                        {
                            peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                            peakGcHeap = Math.Max(peakGcHeap, GC.GetTotalMemory(false));
                            try
                            {
                                await Task.Delay(20, token).ConfigureAwait(false);
                            }
                            catch (OperationCanceledException)
                            {
                                return;
                            }
                        }
                    });
                    Console.Out.WriteLine("marked");
                    break;
                case "stats":
                    peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                    peakGcHeap = Math.Max(peakGcHeap, GC.GetTotalMemory(false));
                    self.Refresh();
                    Console.Out.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"stats peak_ws={peakWorkingSet} peak_gc_heap={peakGcHeap} hwm={PeakResidentBytes()} cpu_ms={(self.TotalProcessorTime - cpuAtMark).TotalMilliseconds:F0} allocated={GC.GetTotalAllocatedBytes(false) - allocatedAtMark} gen0={GC.CollectionCount(0) - gen0AtMark} gen2={GC.CollectionCount(2) - gen2AtMark} threads={self.Threads.Count} {extra()}"));
                    break;
                case "pace-start":
                    pace.Reset();
                    Console.Out.WriteLine("pace-started");
                    break;
                case "pace":
                    Console.Out.WriteLine(pace.Line());
                    break;
                case "quit":
                    return 0;
                default:
                    Console.Out.WriteLine("unknown command " + command);
                    break;
            }

            Console.Out.Flush();
        }

        return 0;
    }

    // VmHWM: the process's peak resident set over its whole life (seeding and RDN sync included).
    private static long PeakResidentBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static ControllerConfig ElementConfig(string name, int ceid, int port, string database, int otherCeid, int otherPort, int phones, int firstLocal, int endLocal, int firstRemote, int endRemote)
    {
        ControllerConfig config = new()
        {
            Element = new Controller.Configuration.ElementConfig { Name = name, CeidIndex = ceid, CeidDigits = ceid.ToString(CultureInfo.InvariantCulture) },
            ListenAddress = "127.0.0.1",
            Ports = new PortsConfig { Dhcp = 0, Tftp = 0, Registration = port },
            Database = database,
            Dhcp = new DhcpConfig { Enabled = false },
            Tftp = new TftpConfig { Enabled = false },
            Admin = new AdminConfig { Enabled = false },
        };
        config.ClusterElements.Add(new ClusterElementConfig { CeidIndex = otherCeid, CeidDigits = otherCeid.ToString(CultureInfo.InvariantCulture), Address = "127.0.0.1", RegistrationPort = otherPort, Comment = "storm peer" });
        for (int i = firstLocal; i < endLocal; i++)
        {
            string dn = Dn(i, phones);
            config.TelephoneDirectory.Add(new DirectoryEntryConfig { Number = dn, Name = "Storm set " + dn });
            config.MultilineIpSets.Add(new SetReservationConfig { Mac = MacText(i), Dn = dn, PinMemory = true });
        }

        for (int i = firstRemote; i < endRemote; i++)
        {
            config.RemoteDirectoryNumbers.Add(new RemoteDirectoryNumberConfig { Number = Dn(i, phones), CeidIndex = otherCeid });
        }

        return config;
    }

    private static int FreePort()
    {
        using Socket probe = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}

/// <summary>
/// The pace of Registered replies as the elements send them (their Replied event): how many since
/// <see cref="Reset"/>, and the time from the first to the last, so that the load generator and
/// the fleet are timed by the same instrument; and every frame the elements took from a phone
/// (Decided) and sent (Replied), so that what a registration costs on the wire is counted.
/// </summary>
public sealed class RegistrationPace
{
    private readonly object _gate = new();
    private int _count;
    private long _first;
    private long _last;
    private long _framesIn;
    private long _framesOut;

    public void Reset()
    {
        lock (_gate)
        {
            _count = 0;
            _first = 0;
            _last = 0;
            _framesIn = 0;
            _framesOut = 0;
        }
    }

    /// <summary>A frame from a phone (with a MAC) was decided on.</summary>
    public void Decided(string mac, Protocol.Registration.RegistrationMessage frame, System.Collections.Generic.List<Protocol.Registration.RegistrationMessage> replies, bool secondary)
    {
        Interlocked.Increment(ref _framesIn);
    }

    public void Replied(string mac, Protocol.Registration.RegistrationMessage reply)
    {
        Interlocked.Increment(ref _framesOut);
        if (reply.Type != Protocol.Registration.RegistrationMessageType.Registered)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _first = _count == 0 ? now : _first;
            _last = now;
            _count++;
        }
    }

    /// <summary>`pace count=N seconds=S frames_in=F frames_out=F`: the registrations since the reset, first to last, and the frames each way.</summary>
    public string Line()
    {
        lock (_gate)
        {
            double seconds = _count < 2 ? 0 : Stopwatch.GetElapsedTime(_first, _last).TotalSeconds;
            return string.Create(CultureInfo.InvariantCulture, $"pace count={_count} seconds={seconds:F3} frames_in={Interlocked.Read(ref _framesIn)} frames_out={Interlocked.Read(ref _framesOut)}");
        }
    }
}
