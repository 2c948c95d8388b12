using System;
using System.Globalization;
using System.IO;

namespace BootStorm;

/// <summary>The command line; a bad value is refused with its flag named, before anything starts.</summary>
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
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Value()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException(flag + " needs a value");
                }

                return args[++i];
            }

            switch (flag)
            {
                case "--count":
                    settings.Count = Whole(flag, Value(), 2, 60_000);
                    break;
                case "--repeat":
                    settings.Repeat = Whole(flag, Value(), 1, 20);
                    break;
                case "--storms":
                    settings.Storms = StormList(flag, Value());
                    break;
                case "--threads":
                    settings.Threads = Whole(flag, Value(), 1, 256);
                    break;
                case "--image-kib":
                    settings.ImageKib = Whole(flag, Value(), 1, 4096);
                    break;
                case "--dhcp-rates":
                    string[] parts = Value().Split(',');
                    settings.DhcpRates = Array.ConvertAll(parts, p => Whole(flag, p.Trim(), 1, 1_000_000));
                    break;
                case "--perfdhcp-seconds":
                    settings.PerfdhcpSeconds = Whole(flag, Value(), 1, 600);
                    break;
                case "--curl-parallel":
                    settings.CurlParallel = Whole(flag, Value(), 1, 1000);
                    break;
                case "--concurrency":
                    settings.Concurrency = Whole(flag, Value(), 1, 60_000);
                    break;
                case "--timeout":
                    settings.TimeoutSeconds = Whole(flag, Value(), 1, 3600);
                    break;
                case "--controller":
                    settings.Controller = ExistingFile(flag, Value());
                    break;
                case "--phone":
                    settings.Phone = ExistingFile(flag, Value());
                    break;
                case "--out":
                    settings.Out = Value();
                    break;
                default:
                    throw new ArgumentException("unknown argument '" + flag + "'");
            }
        }

        return settings;
    }

    private static string ExistingFile(string flag, string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException(flag + ": no such file '" + path + "' (build it first)");
        }

        return path;
    }

    private static int Whole(string flag, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new ArgumentException(flag + ": '" + text + "' is not a whole number from " + min + " to " + max);
        }

        return value;
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
