using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using Protocol.Dhcp;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// Issue 15, hostile DHCP clients against `controller serve` in a network namespace: from the
/// other end of the link (a socket in the client namespace, acting as a relay so the answers come
/// back to it) malformed datagrams (truncated, a bad magic cookie, option lengths past the end, a
/// garbage overloaded file field), oversize datagrams, requests that are not Ethernet
/// BOOTREQUESTs or carry no usable message type (RFC 3396 concatenation included) — each left
/// without reply and counted in the controller's log by reason — while option overloads done
/// right (option 52 into file and sname, an option 52 inside the file field, an option split into
/// three instances) are answered once, and DISCOVER floods from thousands of MACs and from one
/// MAC are answered within the pending-offer bound. dhclient, a real client on the same link,
/// leases before and during the attack; its times are compared.
/// </summary>
[TestClass]
public sealed class HostileDhcpClientsTests
{
    private const int QuietRuns = 3;
    private const int AttackedRuns = 3;
    private const int MinimumRounds = 70;
    private const int ManyMacsPerRound = 60;
    private const int OneMacPerRound = 40;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    // What each hostile datagram must come to: a drop counted under a reason, or one OFFER.
    private static readonly string[] DroppedReasons = { "malformed", "oversize", "not an Ethernet BOOTREQUEST", "no or unknown message type" };

    [TestMethod]
    public void MalformedOversizeAndFloodingClientsAreDroppedOrBoundedAndCountedWhileDhclientStillLeases()
    {
        using TestDirectory directory = new("reliability-dhcp-rely");
        using NetworkNamespacePair pair = new("relydhcp");
        string attackerAddress = pair.Address(2);
        (int addExit, string addOutput) = pair.Run(pair.ClientNamespace, "/usr/sbin/ip", "addr add " + attackerAddress + "/24 dev " + pair.ClientInterface, "/", TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, addExit, addOutput);
        using BackgroundProcess controller = StartController(pair, directory);
        KernelDatagramLoss kernel = KernelDatagramLoss.Start(pair);
        using Socket attacker = NamespaceUdpSocket.Open(pair.ClientNamespace, pair.ClientInterface, new IPEndPoint(IPAddress.Any, 67));
        HostileDhcpAttack attack = new(attacker, ManyMacsPerRound, OneMacPerRound, new IPEndPoint(IPAddress.Parse(pair.ServerAddress), 67), IPAddress.Parse(attackerAddress));

        List<double> quiet = new();
        for (int run = 0; run < QuietRuns; run++)
        {
            quiet.Add(LeaseWithDhclient(pair, directory, controller, run));
        }

        List<double> attacked = new();
        Thread sender = new(attack.Run) { IsBackground = true, Name = "dhcp-attacker" };
        sender.Start();
        for (int run = 0; run < AttackedRuns; run++)
        {
            attacked.Add(LeaseWithDhclient(pair, directory, controller, QuietRuns + run));
        }

        while (attack.Rounds < MinimumRounds && sender.IsAlive)
        {
            Thread.Sleep(50);
        }

        attack.Stop();
        sender.Join();
        Thread.Sleep(1000); // the last answers
        attack.StopReceiving();

        // A datagram the kernel had no room for (a socket's receive buffer or a CPU's input
        // backlog full on the loaded machine) reached no one: the only loss allowed, and it is
        // counted by the kernel.
        long kernelLost = kernel.Describe(out string lostDetail);
        string story = attack.Describe() + "; lost in the kernel " + kernelLost + " (" + lostDetail + ")\ncontroller:\n" + FleetEvents.Tail(controller.Output);

        // Every hostile datagram unanswered, every well-formed one answered once with an OFFER.
        int unanswered = 0;
        List<string> unansweredKinds = new();
        foreach (KeyValuePair<uint, string> sent in attack.Sent)
        {
            string expected = attack.Expected[sent.Value];
            attack.Replies.TryGetValue(sent.Key, out List<DhcpMessage>? replies);
            int count = replies?.Count ?? 0;
            if (expected == "offer")
            {
                Assert.IsTrue(count <= 1, sent.Value + " (xid " + sent.Key.ToString("x8", CultureInfo.InvariantCulture) + ") answered " + count + " times\n" + story);
                unanswered += 1 - count;
                if (count == 0)
                {
                    unansweredKinds.Add(sent.Value + " xid " + sent.Key.ToString("x8", CultureInfo.InvariantCulture));
                }
                Assert.IsTrue(count == 0 || replies![0].MessageType == DhcpMessageType.Offer, story);
            }
            else
            {
                Assert.AreEqual(0, count, sent.Value + " was answered\n" + story);
            }
        }

        Assert.IsTrue(unanswered <= kernelLost, unanswered + " well-formed DISCOVERs unanswered (" + string.Join(", ", unansweredKinds) + "; last xid sent " + attack.LastTransactionId.ToString("x8", CultureInfo.InvariantCulture) + ")\n" + story);

        // The flood from one MAC holds one address: every OFFER names the same one.
        HashSet<uint> oneMacAddresses = new();
        foreach (KeyValuePair<uint, string> sent in attack.Sent)
        {
            if (sent.Value == HostileDhcpAttack.OneMacFlood && attack.Replies.ContainsKey(sent.Key))
            {
                oneMacAddresses.Add(attack.Replies[sent.Key][0].YourAddress);
            }
        }

        Assert.AreEqual(1, oneMacAddresses.Count, "the one-MAC flood was offered " + oneMacAddresses.Count + " addresses\n" + story);

        // Counted in the controller's log by reason: every dropped datagram, and the offers the flood had withdrawn.
        Dictionary<string, long> expectedCounts = attack.DroppedByReason();
        Dictionary<string, long> logged = new();
        Stopwatch waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(12))
        {
            logged = LoggedDrops(controller.Output);
            if (SameCounts(expectedCounts, logged, 0) && controller.Output.Contains("offers withdrawn unclaimed", StringComparison.Ordinal))
            {
                break;
            }

            Thread.Sleep(200);
        }

        kernelLost = kernel.Describe(out lostDetail);
        Assert.IsTrue(SameCounts(expectedCounts, logged, kernelLost), "logged drops " + string.Join(", ", logged) + ", sent " + string.Join(", ", expectedCounts) + "; lost in the kernel " + kernelLost + " (" + lostDetail + ")\n" + story);

        StringAssert.Contains(controller.Output, "offers withdrawn unclaimed (pending-offer limit)", story);

        // The real client: leased every time, under attack within max(3 s, 5x its slowest quiet lease).
        double quietWorst = Max(quiet);
        double attackedWorst = Max(attacked);
        foreach (string line in controller.Output.Split('\n'))
        {
            if (line.Contains("dhcp: no reply to ", StringComparison.Ordinal))
            {
                Console.WriteLine(line);
            }
        }

        Console.WriteLine($"dhclient lease ms quiet [{string.Join(", ", quiet.ConvertAll(Ms))}], under attack [{string.Join(", ", attacked.ConvertAll(Ms))}]; {attack.Describe()}");
        Assert.IsTrue(attackedWorst < Math.Max(3000, 5 * quietWorst), $"dhclient under attack took {attackedWorst:0} ms (quiet {quietWorst:0} ms)\n{story}");
    }

    private static string Ms(double value)
    {
        return value.ToString("0", CultureInfo.InvariantCulture);
    }

    private static double Max(List<double> values)
    {
        double max = 0;
        foreach (double value in values)
        {
            max = Math.Max(max, value);
        }

        return max;
    }

    // Logged as sent, less at most the datagrams the kernel lost, in all.
    private static bool SameCounts(Dictionary<string, long> expected, Dictionary<string, long> logged, long lost)
    {
        long missing = 0;
        foreach (string reason in DroppedReasons)
        {
            long difference = expected.GetValueOrDefault(reason) - logged.GetValueOrDefault(reason);
            if (difference < 0)
            {
                return false;
            }

            missing += difference;
        }

        return missing <= lost;
    }

    // Sums the controller's "dhcp: no reply to N requests …: REASON COUNT, …" lines per reason.
    private static Dictionary<string, long> LoggedDrops(string output)
    {
        Dictionary<string, long> sums = new();
        foreach (string line in output.Split('\n'))
        {
            if (!line.Contains("dhcp: no reply to ", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (string reason in DroppedReasons)
            {
                Match match = Regex.Match(line, "(?:: |, )" + Regex.Escape(reason) + " ([0-9]+)");
                if (match.Success)
                {
                    sums[reason] = sums.GetValueOrDefault(reason) + long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                }
            }
        }

        return sums;
    }

    // dhclient in the client namespace with a fresh lease file and a MAC of its own: ms until bound.
    // Its MAC is a macvlan's on the client link, not the link's own: the attacker's address lives on
    // the link, and a link whose MAC changed under it loses the server's answers to the attacker
    // (sent to the old MAC, dropped on arrival as for another host) until the neighbour entry heals.
    private static double LeaseWithDhclient(NetworkNamespacePair pair, TestDirectory directory, BackgroundProcess controller, int run)
    {
        string mac = "02:dd:00:00:00:" + (run + 1).ToString("x2", CultureInfo.InvariantCulture);
        string device = "pfdh" + run.ToString(CultureInfo.InvariantCulture);
        foreach (string step in new[] { "link add " + device + " link " + pair.ClientInterface + " address " + mac + " type macvlan mode bridge", "link set dev " + device + " up" })
        {
            (int stepExit, string stepOutput) = ProcessRunner.Run("/usr/sbin/ip", "-n " + pair.ClientNamespace + " " + step, "/", TimeSpan.FromSeconds(10));
            Assert.AreEqual(0, stepExit, "ip " + step + ": " + stepOutput);
        }

        string leases = directory.File("dhclient" + run + ".leases");
        File.WriteAllText(directory.File("dhclient.conf"), "option vivso code 125 = string;\nrequest subnet-mask, routers, vivso;\n");
        File.WriteAllText(leases, string.Empty);
        Stopwatch elapsed = Stopwatch.StartNew();
        using BackgroundProcess client = pair.Start(pair.ClientNamespace, Peer.Require("/sbin/dhclient"), $"-1 -d -v -cf {directory.File("dhclient.conf")} -lf {leases} -pf {directory.File("dhclient" + run + ".pid")} -sf /bin/true {device}", directory.Path);
        bool bound = client.WaitForLine("bound to 10.200.", ClientTimeout);
        double ms = elapsed.Elapsed.TotalMilliseconds;
        Assert.IsTrue(bound, "dhclient (run " + run + ", " + mac + ") did not bind:\n" + client.Output + "\ncontroller:\n" + FleetEvents.Tail(controller.Output));
        return ms;
    }

    private static BackgroundProcess StartController(NetworkNamespacePair pair, TestDirectory directory)
    {
        Directory.CreateDirectory(directory.File("boot"));

        // A pool larger than the pending-offer limit (4096), so a flood of new MACs cannot empty it.
        File.WriteAllText(directory.File("element.json"), $$"""
            {
              "element": { "name": "rely", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "{{pair.ServerAddress}}",
              "ports": { "dhcp": 67, "tftp": 0, "registration": 0 },
              "database": "element.db",
              "dhcp": { "poolStart": "10.200.0.10", "poolEnd": "10.200.63.250", "subnetMask": "255.255.192.0" },
              "telephoneDirectory": [ { "number": "1000", "name": "Lab set" } ]
            }
            """);
        BackgroundProcess process = pair.Start(pair.ServerNamespace, "dotnet", BuiltPrograms.Controller + " serve --config element.json", directory.Path);
        Assert.IsTrue(process.WaitForLine("option 125 = ", StartTimeout), "controller did not start:\n" + process.Output);
        return process;
    }
}
