using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Dhcp;

/// <summary>
/// `phone fleet --relay`: 50 phone cores in the client namespace behind one address, acting as a
/// DHCP relay agent (giaddr, port 67 to port 67, as perfdhcp does) towards Kea in the server
/// namespace; Kea's option 125 names our controller there for TFTP and registration (its DHCP off).
/// Each phone must lease its own address from Kea's pool, fetch the boot files and register on its
/// DN; a few type their PIN at the prompt.
/// </summary>
[TestClass]
public sealed class FleetThroughRelayAgainstKeaTests
{
    private const int Phones = 50;
    private const int TypedEvery = 25;
    private const int TftpPort = 6969;
    private const int RegistrationPort = 6800;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    [TestMethod]
    public void FiftyRelayedPhonesLeaseFromKeaAndRegisterAtTheServersTheLeaseNames()
    {
        using TestDirectory directory = new("fleet-kea-relay");
        using FleetOnRelayLink link = new("fleet");
        NetworkNamespacePair pair = link.Pair;

        using BackgroundProcess controller = StartController(pair, directory);
        using BackgroundProcess kea = StartKea(pair, directory);
        string arguments = link.FleetArguments(Phones, "00:08:5d:fe:00:00", TypedEvery, seed: 5, timeoutSeconds: 60, directory.File("summary.json"));
        (int exitCode, string output) = pair.Run(pair.ClientNamespace, "dotnet", arguments, directory.Path, TimeSpan.FromSeconds(100));
        string story = "fleet (exit " + exitCode + "):\n" + FleetEvents.Tail(output) + "\nkea:\n" + FleetEvents.Tail(kea.Output) + "\ncontroller:\n" + FleetEvents.Tail(controller.Output);
        Assert.AreEqual(0, exitCode, story);

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(directory.File("summary.json")));
        Assert.AreEqual(Phones, summary.RootElement.GetProperty("registered").GetInt32(), story);
        Dictionary<int, List<JsonElement>> byPhone = FleetEvents.ByPhone(output);
        Assert.AreEqual(Phones, byPhone.Count, story);
        HashSet<string> addresses = new();
        foreach (JsonElement outcome in summary.RootElement.GetProperty("outcomes").EnumerateArray())
        {
            int index = outcome.GetProperty("phone").GetInt32();
            List<JsonElement> events = byPhone[index];
            string phoneStory = "phone " + index + ":\n" + string.Join("\n", events.Select(e => e.GetRawText())) + "\nkea:\n" + FleetEvents.Tail(kea.Output);
            Assert.AreEqual("registered", outcome.GetProperty("outcome").GetString(), phoneStory);

            // Leased from Kea through the relay: an address of Kea's pool, Kea's identifier, option 125.
            JsonElement bound = events.Last(e => e.GetProperty("event").GetString() == "dhcp.bound");
            string address = bound.GetProperty("address").GetString()!;
            int host = int.Parse(address.Substring(pair.Prefix.Length), CultureInfo.InvariantCulture);
            Assert.IsTrue(address.StartsWith(pair.Prefix, StringComparison.Ordinal) && host >= 100 && host <= 199, phoneStory);
            Assert.IsTrue(addresses.Add(address), "two phones leased " + address + "\n" + phoneStory);
            Assert.AreEqual(pair.ServerAddress, bound.GetProperty("server").GetString(), phoneStory);
            Assert.AreEqual(125, bound.GetProperty("option").GetInt32(), phoneStory);

            // Then the servers the lease names: TFTP and the call server on the controller.
            JsonElement done = events.Last(e => e.GetProperty("event").GetString() == "tftp.done");
            Assert.AreEqual(pair.ServerAddress, done.GetProperty("server").GetString(), phoneStory);
            JsonElement registered = events.Last(e => e.GetProperty("event").GetString() == "registered");
            Assert.AreEqual((1000 + index).ToString(CultureInfo.InvariantCulture), registered.GetProperty("dn").GetString(), phoneStory);
            Assert.AreEqual(pair.ServerAddress + ":" + RegistrationPort, registered.GetProperty("controller").GetString(), phoneStory);
            Assert.AreEqual(index % TypedEvery == 0, events.Any(e => e.GetProperty("event").GetString() == "pin.entered"), phoneStory);
        }

        // Kea's own log: it allocated a lease to each of the fleet's 50 MACs.
        HashSet<string> allocated = new();
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(kea.Output, @"DHCP4_LEASE_ALLOC \[hwtype=1 (00:08:5d:fe:[0-9a-f:]{5})\]"))
        {
            allocated.Add(match.Groups[1].Value);
        }

        Assert.AreEqual(Phones, allocated.Count, story);
    }

    private static BackgroundProcess StartController(NetworkNamespacePair pair, TestDirectory directory)
    {
        Directory.CreateDirectory(directory.File("boot"));
        File.WriteAllBytes(directory.File("boot/boot.img"), new byte[30_000]);
        string numbers = string.Join(",", Enumerable.Range(1000, Phones).Select(dn => $"{{ \"number\": \"{dn}\", \"name\": \"Relay {dn}\" }}"));
        File.WriteAllText(directory.File("controller.json"), $$"""
            {
              "element": { "name": "relay-bench", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "{{pair.ServerAddress}}",
              "ports": { "dhcp": 0, "tftp": {{TftpPort}}, "registration": {{RegistrationPort}} },
              "database": "controller.db",
              "dhcp": { "enabled": false },
              "tftp": { "maxTransfersPerSource": {{Phones}} },
              "telephoneDirectory": [ {{numbers}} ]
            }
            """);
        BackgroundProcess controller = pair.Start(pair.ServerNamespace, "dotnet", BuiltPrograms.Controller + " serve --config controller.json", directory.Path);
        Assert.IsTrue(controller.WaitForLine("admin API", StartTimeout), "the controller did not start:\n" + controller.Output);
        return controller;
    }

    private static BackgroundProcess StartKea(NetworkNamespacePair pair, TestDirectory directory)
    {
        // Kea sends the vendor sub-option only when marked always-send; commas are escaped for its CSV data.
        string mitel = $"id:ipphone.mitel.com;sw_tftp={pair.ServerAddress}:{TftpPort};call_srv={pair.ServerAddress}:{RegistrationPort}";
        string conf = directory.File("kea-dhcp4.json");
        File.WriteAllText(conf, $$"""
            { "Dhcp4": {
              "interfaces-config": { "interfaces": [ "{{pair.ServerInterface}}" ], "dhcp-socket-type": "raw" },
              "lease-database": { "type": "memfile", "persist": true, "name": "{{directory.File("kea-leases.csv")}}", "lfc-interval": 0 },
              "option-def": [ { "name": "mitel-config", "code": 130, "space": "vendor-1027", "type": "string" } ],
              "option-data": [
                { "name": "vivso-suboptions", "data": "1027" },
                { "name": "mitel-config", "space": "vendor-1027", "always-send": true, "data": "{{mitel}}" }
              ],
              "valid-lifetime": 3600,
              "subnet4": [ { "id": 1, "subnet": "{{pair.Address(0)}}/24", "pools": [ { "pool": "{{pair.Address(100)}} - {{pair.Address(199)}}" } ] } ],
              "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "stdout" } ], "severity": "INFO" } ]
            } }
            """);
        string environment = "KEA_PIDFILE_DIR=" + directory.Path + " KEA_LOCKFILE_DIR=" + directory.Path;
        BackgroundProcess server = pair.Start(pair.ServerNamespace, "/usr/bin/env", environment + " " + Peer.Require("/usr/sbin/kea-dhcp4") + " -c " + conf, directory.Path);
        Assert.IsTrue(server.WaitForLine("DHCP4_STARTED", StartTimeout), "kea-dhcp4 did not start:\n" + server.Output);
        return server;
    }
}
