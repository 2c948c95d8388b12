using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Hal.Host;
using PhoneFirmware.Core;
using Protocol.Common;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// `phone fleet`: builds this shard's phones, spreads them over the worker threads, shows the
/// progress, waits until every phone settled (or the timeout, or a signal), measures the memory
/// they hold, shuts them down and prints the summary. See <see cref="FleetOptions.Usage"/>.
/// </summary>
public static class FleetCommand
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    public static int Run(string[] args)
    {
        FleetOptions options;
        try
        {
            options = FleetOptions.Parse(args);
        }
        catch (UsageException error)
        {
            Console.Error.WriteLine("phone fleet: " + error.Message);
            return 2;
        }

        if (options.Help)
        {
            Console.Out.Write(FleetOptions.Usage);
            return 0;
        }

        using CancellationTokenSource stop = new();
        using ShutdownSignals signals = ShutdownSignals.Install("phone fleet", stop, Console.Error);
        try
        {
            return RunFleet(options, stop.Token);
        }
        catch (UsageException error)
        {
            Console.Error.WriteLine("phone fleet: " + error.Message);
            return 2;
        }
        catch (IOException error)
        {
            Console.Error.WriteLine("phone fleet: " + error.Message);
            return 1;
        }
        catch (SocketException error)
        {
            Console.Error.WriteLine("phone fleet: network: " + error.Message + (options.RelayAddress != null ? " (the relay binds " + options.RelayAddress + ":67: it needs root and that address on an interface)" : string.Empty));
            return 1;
        }
    }

    private static int RunFleet(FleetOptions options, CancellationToken stop)
    {
        if (options.FlashDirectory != null)
        {
            Directory.CreateDirectory(options.FlashDirectory);
        }

        StreamWriter? eventStream = options.JsonEvents ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) : null;
        FleetEventOutput? events = eventStream == null ? null : new FleetEventOutput(eventStream);
        SystemClock clock = new();
        long baseline = GC.GetTotalMemory(true);
        using DhcpRelayAgent? relay = options.RelayAddress == null ? null : new DhcpRelayAgent(options.RelayAddress, options.DhcpServerAddress, options.DhcpServerPort);
        FleetWorker[] workers = new FleetWorker[options.Threads];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = new FleetWorker(w, clock, WindowShare(options.Window, w, workers.Length));
        }

        List<FleetPhone> phones = BuildPhones(options, workers, relay, events);
        long allocatedBefore = GC.GetTotalAllocatedBytes(true);
        long started = clock.NowMilliseconds;
        foreach (FleetWorker worker in workers)
        {
            worker.Start();
        }

        bool progress = !options.NoProgress && !Console.IsErrorRedirected;
        long timeoutAt = started + (long)(options.TimeoutSeconds * 1000);
        long heldBytes = 0;
        int heldAt = 0;
        FleetLoopCounters loop = new();
        long allocated = 0;
        bool measured = false;
        while (!stop.IsCancellationRequested)
        {
            stop.WaitHandle.WaitOne(Tick);
            events?.Flush();
            FleetCounts counts = FleetCounts.Of(phones);
            if (progress)
            {
                Console.Error.Write("\r" + counts.ProgressLine(clock.NowMilliseconds - started) + "\u001b[K");
            }

            bool settled = counts.Pending == 0;
            if ((settled || clock.NowMilliseconds >= timeoutAt) && !measured)
            {
                (loop, allocated) = (FleetLoopCounters.Sum(workers), GC.GetTotalAllocatedBytes(true) - allocatedBefore);
                (heldBytes, heldAt) = MeasureHeld(phones, baseline);
                measured = true;
                if (options.Hold)
                {
                    // Scripts holding the fleet wait for this line before they look at the servers.
                    Console.Error.WriteLine((progress ? "\n" : string.Empty) + "phone fleet: " + (settled ? "settled" : "timed out") + ": " + counts.Registered + " registered, " + counts.Prompted + " at a prompt, " + counts.Pending + " not settled; holding until SIGTERM");
                }
            }

            if (Fault(workers) != null || (!options.Hold && measured))
            {
                break;
            }
        }

        if (!measured)
        {
            (loop, allocated) = (FleetLoopCounters.Sum(workers), GC.GetTotalAllocatedBytes(true) - allocatedBefore);
            (heldBytes, heldAt) = MeasureHeld(phones, baseline);
        }

        long wall = clock.NowMilliseconds - started;
        foreach (FleetWorker worker in workers)
        {
            worker.StopAndJoin();
            worker.Dispose();
        }

        if (progress)
        {
            Console.Error.WriteLine();
        }

        eventStream?.Flush();
        FleetSummary summary = new(phones, options, wall, heldBytes, heldAt) { StartedAt = started, Loop = loop, ProcessAllocatedBytes = allocated };
        (options.SummaryOnStdout && eventStream == null ? Console.Out : Console.Error).Write(summary.ToTable());
        if (options.SummaryJsonPath != null)
        {
            summary.WriteJson(options.SummaryJsonPath);
        }

        Exception? fault = Fault(workers);
        if (fault != null)
        {
            Console.Error.WriteLine("phone fleet: a worker stopped: " + fault);
            return 1;
        }

        return summary.Failed == 0 && summary.Refused == 0 ? 0 : 1;
    }

    private static List<FleetPhone> BuildPhones(FleetOptions options, FleetWorker[] workers, DhcpRelayAgent? relay, FleetEventOutput? events)
    {
        PhoneSettings settings = new()
        {
            DhcpBroadcastAddress = relay != null ? Ipv4.Broadcast : options.DhcpServerAddress,
            DhcpServerPort = options.DhcpServerPort,

            // Loopback: every phone's DHCP socket is its own port, which our controller answers.
            DhcpClientPort = relay != null ? 68 : 0,
        };
        options.Phone.ApplyTo(settings, HostAddresses.FromIPAddress(options.EffectiveBindAddress));

        // All phones share one address: each SIP line's UDP socket takes the next free port (FleetPorts).
        settings.SipLocalPort = 0;

        List<FleetPhone> phones = new();
        for (int index = options.FirstIndex; index < options.EndIndex; index++)
        {
            FleetWorker worker = workers[phones.Count % workers.Length];
            byte[] mac = options.MacOf(index);
            Hal.IFlashRegion flash = options.FlashDirectory == null
                ? new MemoryFlashRegion(Core.Storage.PhoneFlashLayout.Size)
                : new FileFlashRegion(Path.Combine(options.FlashDirectory, MacAddress.Format(mac).Replace(":", string.Empty, StringComparison.Ordinal) + ".flash"), Core.Storage.PhoneFlashLayout.Size);
            FleetNetwork network = new(mac, options.EffectiveBindAddress, worker, relay);
            int? seed = options.Seed.HasValue ? unchecked(options.Seed.Value + index) : null;
            FleetPhone phone = new(index, mac, flash, options.DnOf(index), options.PinOf(index), options.TypesPin(index), options.InstalledImage, network, settings, seed, events);
            worker.Add(phone);
            phones.Add(phone);
        }

        return phones;
    }

    // The window (--window) split over the workers as their phones are (phone j to worker j mod T); 0 stays 0.
    private static int WindowShare(int window, int worker, int workers)
    {
        return window == 0 ? 0 : Math.Max(1, (window / workers) + (worker < window % workers ? 1 : 0));
    }

    // What the phones hold, with the workers still running them: every live object above the empty fleet.
    private static (long Bytes, int Registered) MeasureHeld(List<FleetPhone> phones, long baseline)
    {
        int registered = FleetCounts.Of(phones).Registered;
        long held = GC.GetTotalMemory(true) - baseline;
        return (Math.Max(0, held), registered);
    }

    private static Exception? Fault(FleetWorker[] workers)
    {
        foreach (FleetWorker worker in workers)
        {
            if (worker.Fault != null)
            {
                return worker.Fault;
            }
        }

        return null;
    }
}
