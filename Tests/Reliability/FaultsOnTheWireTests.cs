using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// Issue 15, faults on the wire: `phone fleet --relay` (50 phone cores in the client namespace)
/// boots against a two-element cluster of `controller serve` in the server namespace (A: DHCP,
/// TFTP, DNs 1000-1039; B: DNs 1040-1049, which A redirects to) over a link that drops 20 % of
/// the datagrams arriving at each end and duplicates 10 % of those leaving each end (nftables:
/// netdev ingress `numgen random mod 100 &lt; 20 drop`, egress `dup to` the same device; this
/// kernel has no netem, so there is no reordering). Every phone ends registered on its DN with
/// the PIN it stored kept; then a warm boot of the same phones (flash kept, as after a power cut)
/// with element A killed (SIGKILL) in the middle and restarted.
/// </summary>
[TestClass]
public sealed class FaultsOnTheWireTests
{
    private const int Phones = 50;
    private const int OnB = 10;
    private const int TypedEvery = 25;
    private const int LossPercent = 20;
    private const int DuplicatePercent = 10;
    private const int PortA = 6800;
    private const int PortB = 6810;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [TestMethod]
    public void FiftyPhonesBootAndRegisterOnALossyDuplicatingLinkAlsoWithElementARestartedMidway()
    {
        using TestDirectory directory = new("reliability-faults-rely");
        using FleetOnRelayLink link = new("relyfault");
        NetworkNamespacePair pair = link.Pair;
        WriteConfigs(pair, directory);
        AddFaults(pair, pair.ServerNamespace, pair.ServerInterface);
        AddFaults(pair, pair.ClientNamespace, pair.ClientInterface);

        // 1. A whole boot over the faulty link.
        using (BackgroundProcess a = StartElement(pair, directory, "a.json"))
        using (BackgroundProcess b = StartElement(pair, directory, "b.json"))
        {
            (int exitCode, string output) = pair.Run(pair.ClientNamespace, "dotnet", FleetArguments(link, directory, "boot1"), directory.Path, TimeSpan.FromSeconds(270));
            CheckEveryPhoneRegistered(exitCode, output, directory.File("boot1.json"), "faulty link\nA:\n" + FleetEvents.Tail(a.Output) + "\nB:\n" + FleetEvents.Tail(b.Output));
        }

        string counters = Counters(pair);

        // 2. A warm boot (as after a power cut: leases and PINs in flash) with A killed once a few
        //    phones registered, then restarted on its database.
        BackgroundProcess first = StartElement(pair, directory, "a.json");
        using BackgroundProcess elementB = StartElement(pair, directory, "b.json");
        using BackgroundProcess fleet = pair.Start(pair.ClientNamespace, "dotnet", FleetArguments(link, directory, "boot2"), directory.Path);
        OutputCursor cursor = fleet.Here();
        for (int i = 0; i < 5; i++)
        {
            Assert.IsNotNull(cursor.WaitFor("\"event\":\"registered\"", TimeSpan.FromSeconds(90), () => fleet.HasExited), "no registration before the kill:\n" + FleetEvents.Tail(fleet.Output));
        }

        using (System.Diagnostics.Process target = System.Diagnostics.Process.GetProcessById(first.Id))
        {
            target.Kill();
        }

        Assert.IsTrue(first.WaitForExit(TimeSpan.FromSeconds(10)), "SIGKILL did not end A");
        first.Dispose();
        using BackgroundProcess again = StartElement(pair, directory, "a.json");
        Assert.IsTrue(fleet.WaitForExit(TimeSpan.FromSeconds(270)), "the fleet did not finish:\n" + FleetEvents.Tail(fleet.Output));
        CheckEveryPhoneRegistered(fleet.ExitCode, fleet.Output, directory.File("boot2.json"), "A restarted\nA:\n" + FleetEvents.Tail(again.Output) + "\nB:\n" + FleetEvents.Tail(elementB.Output));
        Console.WriteLine("faults: " + counters + "; after the restart run: " + Counters(pair));
    }

    private static string FleetArguments(FleetOnRelayLink link, TestDirectory directory, string run)
    {
        Directory.CreateDirectory(directory.File("flash"));
        return link.FleetArguments(Phones, "00:08:5d:fa:00:00", TypedEvery, seed: 7, timeoutSeconds: 240, directory.File(run + ".json"), "--flash-dir " + directory.File("flash"));
    }

    // Each phone registered on its DN, at B for the last OnB, and no stored PIN cleared.
    private static void CheckEveryPhoneRegistered(int exitCode, string output, string summaryFile, string context)
    {
        string story = "fleet (exit " + exitCode + "):\n" + FleetEvents.Tail(output) + "\n" + context;
        Assert.AreEqual(0, exitCode, story);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(summaryFile));
        Assert.AreEqual(Phones, summary.RootElement.GetProperty("registered").GetInt32(), story);
        Console.WriteLine(context.Split('\n')[0] + ": " + string.Join(", ", summary.RootElement.EnumerateObject().Where(p => p.Name != "outcomes").Select(p => p.Name + " " + p.Value.GetRawText())));
        Dictionary<int, List<JsonElement>> byPhone = FleetEvents.ByPhone(output);
        Assert.AreEqual(Phones, byPhone.Count, story);
        foreach ((int index, List<JsonElement> events) in byPhone)
        {
            string phoneStory = "phone " + index + ":\n" + string.Join("\n", events.Select(e => e.GetRawText()).TakeLast(40)) + "\n" + context;
            JsonElement registered = events.Last(e => e.GetProperty("event").GetString() == "registered");
            Assert.AreEqual((1000 + index).ToString(CultureInfo.InvariantCulture), registered.GetProperty("dn").GetString(), phoneStory);
            Assert.AreEqual(Port(index), registered.GetProperty("controller").GetString()!.Split(':')[1], phoneStory);
            Assert.IsFalse(events.Any(e => e.GetProperty("event").GetString() == "pin.cleared"), "a PIN was cleared:\n" + phoneStory);
        }

        static string Port(int index) => (index >= Phones - OnB ? PortB : PortA).ToString(CultureInfo.InvariantCulture);
    }

    // 20 % of what arrives at the device dropped, 10 % of what leaves it sent twice (a copy may be copied again).
    private static void AddFaults(NetworkNamespacePair pair, string space, string device)
    {
        string loss = LossPercent.ToString(CultureInfo.InvariantCulture);
        string duplicates = DuplicatePercent.ToString(CultureInfo.InvariantCulture);
        foreach (string command in new[]
        {
            "add table netdev faults",
            $"add chain netdev faults in {{ type filter hook ingress device {device} priority 0 ; policy accept ; }}",
            $"add rule netdev faults in ip protocol {{ udp, tcp }} numgen random mod 100 < {loss} counter drop",
            $"add chain netdev faults out {{ type filter hook egress device {device} priority 0 ; policy accept ; }}",
            $"add rule netdev faults out ip protocol {{ udp, tcp }} numgen random mod 100 < {duplicates} counter dup to {device}",
        })
        {
            (int exit, string output) = pair.Run(space, Peer.Require("/usr/sbin/nft"), command, "/", TimeSpan.FromSeconds(10));
            Assert.AreEqual(0, exit, "nft " + command + ": " + output);
        }
    }

    // The fault rules' counters of both ends: packets dropped and duplicated so far.
    private static string Counters(NetworkNamespacePair pair)
    {
        List<string> parts = new();
        foreach (string space in new[] { pair.ServerNamespace, pair.ClientNamespace })
        {
            (int _, string listing) = pair.Run(space, Peer.Require("/usr/sbin/nft"), "list table netdev faults", "/", TimeSpan.FromSeconds(10));
            foreach (string line in listing.Split('\n'))
            {
                int at = line.IndexOf("counter packets ", StringComparison.Ordinal);
                if (at >= 0)
                {
                    string count = line[(at + 16)..].Split(' ')[0];
                    parts.Add((space.EndsWith("-a", StringComparison.Ordinal) ? "server end " : "client end ") + (line.Contains("drop", StringComparison.Ordinal) ? "dropped " : "duplicated ") + count);
                }
            }
        }

        return string.Join(", ", parts);
    }

    private static BackgroundProcess StartElement(NetworkNamespacePair pair, TestDirectory directory, string config)
    {
        BackgroundProcess process = pair.Start(pair.ServerNamespace, "dotnet", BuiltPrograms.Controller + " serve --config " + config, directory.Path);
        if (!process.WaitForLine("admin API", StartTimeout))
        {
            string output = process.Output;
            process.Dispose();
            Assert.Fail(config + " did not start:\n" + output);
        }

        return process;
    }

    private static void WriteConfigs(NetworkNamespacePair pair, TestDirectory directory)
    {
        Directory.CreateDirectory(directory.File("boot"));
        File.WriteAllBytes(directory.File("boot/boot.img"), new byte[8_000]);
        string onA = string.Join(",", Enumerable.Range(1000, Phones - OnB).Select(dn => $"{{ \"number\": \"{dn}\", \"name\": \"A {dn}\" }}"));
        string remoteOnA = string.Join(",", Enumerable.Range(1000 + Phones - OnB, OnB).Select(dn => $"{{ \"number\": \"{dn}\", \"ceidIndex\": 2 }}"));
        string onB = string.Join(",", Enumerable.Range(1000 + Phones - OnB, OnB).Select(dn => $"{{ \"number\": \"{dn}\", \"name\": \"B {dn}\" }}"));
        File.WriteAllText(directory.File("a.json"), $$"""
            {
              "element": { "name": "A", "ceidIndex": 1, "ceidDigits": "71" },
              "listenAddress": "{{pair.ServerAddress}}",
              "ports": { "dhcp": 67, "tftp": 69, "registration": {{PortA}} },
              "database": "a.db",
              "dhcp": { "poolStart": "{{pair.Address(100)}}", "poolEnd": "{{pair.Address(199)}}", "subnetMask": "255.255.255.0" },
              "tftp": { "maxTransfersPerSource": {{Phones}} },
              "telephoneDirectory": [ {{onA}} ],
              "clusterElements": [ { "ceidIndex": 2, "ceidDigits": "72", "address": "{{pair.ServerAddress}}", "registrationPort": {{PortB}} } ],
              "remoteDirectoryNumbers": [ {{remoteOnA}} ]
            }
            """);
        File.WriteAllText(directory.File("b.json"), $$"""
            {
              "element": { "name": "B", "ceidIndex": 2, "ceidDigits": "72" },
              "listenAddress": "{{pair.ServerAddress}}",
              "ports": { "dhcp": 0, "tftp": 0, "registration": {{PortB}} },
              "database": "b.db",
              "dhcp": { "enabled": false },
              "tftp": { "enabled": false },
              "telephoneDirectory": [ {{onB}} ],
              "clusterElements": [ { "ceidIndex": 1, "ceidDigits": "71", "address": "{{pair.ServerAddress}}", "registrationPort": {{PortA}} } ]
            }
            """);
    }
}
