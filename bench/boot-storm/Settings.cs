using System;
using Bench.Shared;

namespace BootStorm;

/// <summary>The command line (<see cref="FlagReader"/>: a bad value is refused with its flag named, before anything starts).</summary>
public sealed class Settings
{
    public const string Usage = """
        usage: boot-storm [--count N] [--repeat N] [--storms cold,warm] [--threads T] [--image-kib K]
                          [--dhcp-rates R1,R2,...] [--perfdhcp-seconds S] [--curl-parallel P]
                          [--concurrency C] [--timeout S] [--controller PATH] [--phone PATH] [--out FILE]
                          (--curl-parallel: curl processes fetching at once for the TFTP bound, default 32)
               boot-storm serve-echo ADDRESS          (child process: the bare TCP server)
               boot-storm tcp-baseline ADDRESS PORT CLIENTS CONCURRENCY   (child process: its load generator)
        """;

    public int Count { get; private set; } = 10_000;

    public int Repeat { get; private set; } = 1;

    public string[] Storms { get; private set; } = { "cold", "warm" };

    /// <summary>The fleet's worker threads (the machine's processors by default).</summary>
    public int Threads { get; private set; } = Environment.ProcessorCount;

    public int ImageKib { get; private set; } = 256;

    public int[] DhcpRates { get; private set; } = { 2000, 4000, 8000 };

    public int PerfdhcpSeconds { get; private set; } = 3;

    /// <summary>curl processes fetching at once for the TFTP bound.</summary>
    public int CurlParallel { get; private set; } = 32;

    /// <summary>The TCP baseline's bound on clients between connect and answer (as bench/registration-storm).</summary>
    public int Concurrency { get; private set; } = 1_000;

    public int TimeoutSeconds { get; private set; } = 120;

    public string Controller { get; private set; } = "Controller/bin/Release/net10.0/controller.dll";

    public string Phone { get; private set; } = "PhoneFirmware/Host/bin/Release/net10.0/phone.dll";

    public string? Out { get; private set; }

    public static Settings Parse(string[] args)
    {
        Settings settings = new();
        FlagReader flags = new(args);
        while (flags.Next())
        {
            switch (flags.Flag)
            {
                case "--count":
                    settings.Count = flags.Whole(2, 60_000);
                    break;
                case "--repeat":
                    settings.Repeat = flags.Whole(1, 20);
                    break;
                case "--storms":
                    settings.Storms = StormList(flags.Flag, flags.Value());
                    break;
                case "--threads":
                    settings.Threads = flags.Whole(1, 256);
                    break;
                case "--image-kib":
                    settings.ImageKib = flags.Whole(1, 4096);
                    break;
                case "--dhcp-rates":
                    string[] parts = flags.Value().Split(',');
                    settings.DhcpRates = Array.ConvertAll(parts, p => flags.Whole(p.Trim(), 1, 1_000_000));
                    break;
                case "--perfdhcp-seconds":
                    settings.PerfdhcpSeconds = flags.Whole(1, 600);
                    break;
                case "--curl-parallel":
                    settings.CurlParallel = flags.Whole(1, 1000);
                    break;
                case "--concurrency":
                    settings.Concurrency = flags.Whole(1, 60_000);
                    break;
                case "--timeout":
                    settings.TimeoutSeconds = flags.Whole(1, 3600);
                    break;
                case "--controller":
                    settings.Controller = flags.ExistingFile("build it first");
                    break;
                case "--phone":
                    settings.Phone = flags.ExistingFile("build it first");
                    break;
                case "--out":
                    settings.Out = flags.Value();
                    break;
                default:
                    throw flags.Unknown();
            }
        }

        return settings;
    }

    private static string[] StormList(string flag, string text)
    {
        string[] storms = text.Split(',');
        foreach (string storm in storms)
        {
            if (storm != "cold" && storm != "warm")
            {
                throw new ArgumentException(flag + ": '" + storm + "' is neither cold nor warm");
            }
        }

        return storms;
    }
}
