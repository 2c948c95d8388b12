using System;
using System.Collections.Generic;
using Bench.Shared;

namespace DhcpBench;

/// <summary>The command line (<see cref="FlagReader"/>: every bad value is refused with its flag named, before anything starts).</summary>
public sealed class Settings
{
    public const string Usage = "usage: dhcp-bench [--rates R1,R2,...] [--seconds N] [--clients N] [--flood-rate N] [--flood-seconds N] [--servers ours,kea,dnsmasq] [--repeat N] [--settle-seconds N] [--controller PATH] [--out FILE]";

    public int[] Rates { get; private set; } = { 100, 250, 500, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000 };

    /// <summary>perfdhcp's test period per cell.</summary>
    public int Seconds { get; private set; } = 10;

    /// <summary>perfdhcp's -R: the simulated clients, MACs drawn at random among them.</summary>
    public int Clients { get; private set; } = 100_000;

    public int FloodRate { get; private set; } = 4000;

    public int FloodSeconds { get; private set; } = 20;

    /// <summary>Runs of every cell and flood; a cell is reported as its median run with the spread.</summary>
    public int Repeat { get; private set; } = 3;

    /// <summary>How long the server's RSS is watched after the flood stops (the figure: its last sample).</summary>
    public int SettleSeconds { get; private set; } = 10;

    public string[] Servers { get; private set; } = { ServerKinds.Ours, ServerKinds.Kea, ServerKinds.Dnsmasq };

    public string Controller { get; private set; } = "Controller/bin/Release/net10.0/controller.dll";

    public string? Out { get; private set; }

    public static Settings Parse(string[] args)
    {
        Settings settings = new();
        FlagReader flags = new(args);
        while (flags.Next())
        {
            switch (flags.Flag)
            {
                case "--rates":
                    settings.Rates = RateList(flags);
                    break;
                case "--seconds":
                    settings.Seconds = flags.Whole(1, 600);
                    break;
                case "--clients":
                    settings.Clients = flags.Whole(1, 60_000_000);
                    break;
                case "--flood-rate":
                    settings.FloodRate = flags.Whole(1, 1_000_000);
                    break;
                case "--flood-seconds":
                    settings.FloodSeconds = flags.Whole(1, 3600);
                    break;
                case "--repeat":
                    settings.Repeat = flags.Whole(1, 100);
                    break;
                case "--settle-seconds":
                    settings.SettleSeconds = flags.Whole(1, 600);
                    break;
                case "--servers":
                    settings.Servers = ServerList(flags.Flag, flags.Value());
                    break;
                case "--controller":
                    settings.Controller = flags.ExistingFile("build Controller first");
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

    private static int[] RateList(FlagReader flags)
    {
        string text = flags.Value();
        List<int> rates = new();
        foreach (string part in text.Split(','))
        {
            int rate = flags.Whole(part.Trim(), 1, 1_000_000);
            if (rates.Count > 0 && rate <= rates[^1])
            {
                throw new ArgumentException(flags.Flag + ": rates must rise ('" + text + "')");
            }

            rates.Add(rate);
        }

        return rates.ToArray();
    }

    private static string[] ServerList(string flag, string text)
    {
        List<string> servers = new();
        foreach (string part in text.Split(','))
        {
            string name = part.Trim();
            if (Array.IndexOf(ServerKinds.All, name) < 0)
            {
                throw new ArgumentException(flag + ": unknown server '" + name + "' (known: " + string.Join(", ", ServerKinds.All) + ")");
            }

            if (servers.Contains(name))
            {
                throw new ArgumentException(flag + ": '" + name + "' named twice");
            }

            servers.Add(name);
        }

        return servers.ToArray();
    }
}
