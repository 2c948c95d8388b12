using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// The datagrams the kernel dropped on a namespace link, by every counter that sees one: UDP
/// receive errors (a full socket buffer, a bad checksum) and failed IP reassemblies in each
/// namespace, drops on either end of the veth pair, and the per-CPU input backlog
/// (/proc/net/softnet_stat, machine-wide: taken as the growth since <see cref="Start"/>). On a
/// loaded machine a veth drops a datagram when the receiving CPU's backlog is full, which no UDP
/// counter sees; a test that allows "only the kernel's loss" must count that one too.
/// </summary>
internal sealed class KernelDatagramLoss
{
    private readonly NetworkNamespacePair _pair;
    private readonly long _backlogAtStart;

    private KernelDatagramLoss(NetworkNamespacePair pair)
    {
        _pair = pair;
        _backlogAtStart = BacklogDrops();
    }

    public static KernelDatagramLoss Start(NetworkNamespacePair pair)
    {
        return new KernelDatagramLoss(pair);
    }

    /// <summary>Datagrams lost in the kernel since the link was made (the backlog: since <see cref="Start"/>), each counter named in <paramref name="detail"/>.</summary>
    public long Describe(out string detail)
    {
        long udpServer = Snmp(_pair.ServerNamespace, "Udp", "InErrors");
        long udpClient = Snmp(_pair.ClientNamespace, "Udp", "InErrors");
        long reassembly = Snmp(_pair.ServerNamespace, "Ip", "ReasmFails") + Snmp(_pair.ClientNamespace, "Ip", "ReasmFails");
        long link = LinkDrops(_pair.ServerNamespace, _pair.ServerInterface) + LinkDrops(_pair.ClientNamespace, _pair.ClientInterface);
        long backlog = BacklogDrops() - _backlogAtStart;
        detail = string.Create(CultureInfo.InvariantCulture, $"UDP receive errors {udpServer} (server) + {udpClient} (client), IP reassemblies failed {reassembly}, veth drops {link}, input backlog drops {backlog}");
        return udpServer + udpClient + reassembly + link + backlog;
    }

    // One counter of /proc/net/snmp as the namespace sees it ("Udp: InDatagrams NoPorts ...").
    private static long Snmp(string space, string protocol, string counter)
    {
        (int exit, string snmp) = ProcessRunner.Run("/usr/sbin/ip", "netns exec " + space + " cat /proc/net/snmp", "/", TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, exit, snmp);
        string[] rows = Array.FindAll(snmp.Split('\n'), line => line.StartsWith(protocol + ": ", StringComparison.Ordinal));
        Assert.AreEqual(2, rows.Length, snmp);
        int column = Array.IndexOf(rows[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), counter);
        Assert.IsTrue(column > 0, counter + " not in /proc/net/snmp:\n" + snmp);
        return long.Parse(rows[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[column], CultureInfo.InvariantCulture);
    }

    // rx and tx drops of one end of the veth pair (a veth counts a datagram its peer's backlog refused as its own tx drop).
    private static long LinkDrops(string space, string device)
    {
        (int exit, string json) = ProcessRunner.Run("/usr/sbin/ip", "-n " + space + " -s -j link show dev " + device, "/", TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, exit, json);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement stats = document.RootElement[0].GetProperty("stats64");
        return stats.GetProperty("rx").GetProperty("dropped").GetInt64() + stats.GetProperty("tx").GetProperty("dropped").GetInt64();
    }

    // The second column of /proc/net/softnet_stat, summed over CPUs: packets the input backlog had no room for.
    private static long BacklogDrops()
    {
        long dropped = 0;
        foreach (string line in File.ReadAllLines("/proc/net/softnet_stat"))
        {
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length > 1)
            {
                dropped += long.Parse(columns[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return dropped;
    }
}
