using System;
using System.Globalization;

namespace DhcpBench;

/// <summary>What perfdhcp reported for one run: packets sent and answered per exchange half.</summary>
public sealed class PerfdhcpResult
{
    public int Rate { get; init; }

    public int Seconds { get; init; }

    public long DiscoversSent { get; init; }

    public long OffersReceived { get; init; }

    public long RequestsSent { get; init; }

    public long AcksReceived { get; init; }

    public double AverageOfferDelayMs { get; init; }

    public double AverageAckDelayMs { get; init; }

    public string Output { get; init; } = string.Empty;

    /// <summary>Completed 4-way exchanges (ACKs) per second of the test period.</summary>
    public double ExchangesPerSecond => AcksReceived / (double)Seconds;

    /// <summary>Exchanges begun that got no ACK: unanswered DISCOVERs plus unanswered REQUESTs.</summary>
    public double DropPercent => DiscoversSent == 0 ? 100 : 100.0 * (DiscoversSent - AcksReceived) / DiscoversSent;

    /// <summary>DISCOVER-OFFER only (flood runs): offers per second.</summary>
    public double OffersPerSecond => OffersReceived / (double)Seconds;
}

/// <summary>Runs Kea's perfdhcp in the client namespace as a relay at 10.N.0.2 and reads its report.</summary>
public static class Perfdhcp
{
    public const string Binary = "/usr/sbin/perfdhcp";

    /// <summary>
    /// <c>-r RATE -p SECONDS</c> DORA exchanges from <paramref name="clients"/> simulated clients
    /// (random MACs under <paramref name="macBase"/>); with <paramref name="discoverOnly"/> only
    /// DISCOVER-OFFER (<c>-i</c>).
    /// </summary>
    public static PerfdhcpResult Run(NamespacePair pair, int rate, int seconds, int clients, string macBase, bool discoverOnly = false)
    {
        string arguments = "netns exec " + pair.ClientNamespace + " " + Binary + " -4 -l " + pair.ClientAddress
            + " -r " + rate.ToString(CultureInfo.InvariantCulture)
            + " -p " + seconds.ToString(CultureInfo.InvariantCulture)
            + " -R " + clients.ToString(CultureInfo.InvariantCulture)
            + " -b mac=" + macBase
            + (discoverOnly ? " -i" : string.Empty)
            + " -W 1000000 " + pair.ServerAddress;
        // 0: all exchanges completed; 3: some did not (that is what we measure); anything else is an
        // error of perfdhcp's own (seen once under heavy machine load): tried once more.
        for (int attempt = 1; ; attempt++)
        {
            (int exitCode, string output) = NamespacePair.Run("/usr/sbin/ip", arguments, (seconds + 60) * 1000);
            if (exitCode == 0 || exitCode == 3)
            {
                return Parse(output, rate, seconds);
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException("perfdhcp failed (exit " + exitCode + "): " + output);
            }

            Console.Error.WriteLine("perfdhcp failed (exit " + exitCode + "), once more: " + output.Trim().Replace('\n', ' '));
        }
    }

    /// <summary>One DORA exchange from one client; true when it was ACKed.</summary>
    public static bool Probe(NamespacePair pair, string mac = "02:00:5e:00:00:01")
    {
        // `-n 1` ends before the ACK is counted; one second at 2/s begins one exchange and waits for it.
        string arguments = "netns exec " + pair.ClientNamespace + " " + Binary + " -4 -l " + pair.ClientAddress
            + " -r 2 -p 1 -W 1000000 -R 1 -b mac=" + mac + " " + pair.ServerAddress;
        (int exitCode, string output) = NamespacePair.Run("/usr/sbin/ip", arguments, 20_000);
        if (exitCode != 0 && exitCode != 3)
        {
            return false;
        }

        return Parse(output, 1, 1).AcksReceived >= 1;
    }

    public static PerfdhcpResult Parse(string output, int rate, int seconds)
    {
        long[] sent = new long[2];
        long[] received = new long[2];
        double[] delay = new double[2];
        int section = -1;
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("***Statistics for: DISCOVER-OFFER", StringComparison.Ordinal))
            {
                section = 0;
            }
            else if (line.StartsWith("***Statistics for: REQUEST-ACK", StringComparison.Ordinal))
            {
                section = 1;
            }
            else if (line.StartsWith("***", StringComparison.Ordinal))
            {
                section = -1;
            }
            else if (section >= 0)
            {
                sent[section] = Field(line, "sent packets:", sent[section]);
                received[section] = Field(line, "received packets:", received[section]);
                if (line.StartsWith("avg delay:", StringComparison.Ordinal))
                {
                    // "n/a" when nothing was answered.
                    string value = line["avg delay:".Length..].Trim().Split(' ')[0];
                    delay[section] = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) ? ms : double.NaN;
                }
            }
        }

        return new PerfdhcpResult
        {
            Rate = rate,
            Seconds = seconds,
            DiscoversSent = sent[0],
            OffersReceived = received[0],
            RequestsSent = sent[1],
            AcksReceived = received[1],
            AverageOfferDelayMs = delay[0],
            AverageAckDelayMs = delay[1],
            Output = output,
        };
    }

    private static long Field(string line, string name, long current)
    {
        return line.StartsWith(name, StringComparison.Ordinal)
            ? long.Parse(line[name.Length..].Trim(), CultureInfo.InvariantCulture)
            : current;
    }
}
