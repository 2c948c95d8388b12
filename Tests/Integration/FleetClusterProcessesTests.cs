using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// `phone fleet`: 200 full phone cores in one process on two threads against a two-element cluster
/// of `controller serve` processes on loopback. Element A serves DHCP, TFTP and DNs 1000-1179;
/// element B holds DNs 1180-1199, which A knows as Remote Directory Numbers. Every phone's PIN is
/// ***(1000 + index): stored in flash for most, typed at the prompt by every 50th. Each phone's
/// outcome is checked from its own events and the fleet's summary, and against both elements'
/// live registrations.
/// </summary>
[TestClass]
public class FleetClusterProcessesTests
{
    private const int Phones = 200;
    private const int OnB = 20;
    private const int TypedEvery = 50;
    [TestMethod]
    public void TwoHundredPhonesBootAndRegisterAcrossTwoElementsWithRedirectsAndTypedPins()
    {
        using TestDirectory directory = new("fleet-cluster");
        string directoryA = string.Join(",", Enumerable.Range(1000, Phones - OnB).Select(dn => $"{{ \"number\": \"{dn}\", \"name\": \"A {dn}\" }}"));
        string remoteOnA = string.Join(",", Enumerable.Range(1000 + Phones - OnB, OnB).Select(dn => $"{{ \"number\": \"{dn}\", \"ceidIndex\": 2 }}"));
        string directoryB = string.Join(",", Enumerable.Range(1000 + Phones - OnB, OnB).Select(dn => $"{{ \"number\": \"{dn}\", \"name\": \"B {dn}\" }}"));
        using LoopbackCluster cluster = new(
            directory,
            $$"""
            "dhcp": { "poolStart": "10.200.0.10", "poolEnd": "10.200.0.250" },
            "tftp": { "maxTransfersPerSource": {{Phones}} },
            "telephoneDirectory": [ {{directoryA}} ],
            "remoteDirectoryNumbers": [ {{remoteOnA}} ]
            """,
            $$"""
            "telephoneDirectory": [ {{directoryB}} ]
            """);

        string fleet = BuiltPrograms.Phone + $" fleet --count {Phones} --threads 2 --dhcp-server 127.0.0.1:{cluster.DhcpPort} --mac-base 00:08:5d:f1:00:00"
            + $" --dn-base 1000 --pin-pattern \"***{{dn}}\" --typed-every {TypedEvery} --seed 13 --timeout 60 --hold --events json --summary-json summary.json";
        using BackgroundProcess run = new("dotnet", fleet, directory.Path);

        // --hold keeps the phones registered once all settled: check both elements see them live, then stop the fleet.
        Assert.IsTrue(run.WaitForLine("phone fleet: settled", TimeSpan.FromSeconds(90)), "the fleet did not settle:\n" + FleetEvents.Tail(run.Output));
        Assert.IsTrue(ControllerAdmin.WaitFor(() => Registrations(directory, "a.json") == Phones - OnB), "A's registrations:\n" + ControllerAdmin.Run(directory, "a.json", "registrations").Output);
        Assert.IsTrue(ControllerAdmin.WaitFor(() => Registrations(directory, "b.json") == OnB), "B's registrations:\n" + ControllerAdmin.Run(directory, "b.json", "registrations").Output);
        run.Signal("TERM");
        Assert.IsTrue(run.WaitForExit(TimeSpan.FromSeconds(20)), "the fleet did not stop on SIGTERM:\n" + FleetEvents.Tail(run.Output));
        Assert.AreEqual(0, run.ExitCode, FleetEvents.Tail(run.Output));

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(directory.File("summary.json")));
        JsonElement root = summary.RootElement;
        Assert.AreEqual(Phones, root.GetProperty("registered").GetInt32(), FleetEvents.Tail(run.Output));
        Assert.AreEqual(OnB, root.GetProperty("redirected").GetInt32());
        Assert.AreEqual(Phones / TypedEvery, root.GetProperty("typed").GetInt32());
        Assert.AreEqual(0, root.GetProperty("failed").GetInt32());
        Assert.IsTrue(root.GetProperty("heldBytesPerRegisteredPhone").GetInt64() > 0, "memory per phone was not measured");

        // Per phone, from its own events: its DN, the element it registered on, a prompt only when it typed.
        Dictionary<int, List<JsonElement>> byPhone = FleetEvents.ByPhone(run.Output);
        Assert.AreEqual(Phones, byPhone.Count, "every phone publishes events");
        foreach (JsonElement outcome in root.GetProperty("outcomes").EnumerateArray())
        {
            int index = outcome.GetProperty("phone").GetInt32();
            string dn = (1000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
            bool homedOnB = index >= Phones - OnB;
            bool types = index % TypedEvery == 0;
            List<JsonElement> events = byPhone[index];
            string story = "phone " + index + ": " + string.Join("\n", events.Select(e => e.GetRawText()));
            Assert.AreEqual("registered", outcome.GetProperty("outcome").GetString(), story);
            Assert.AreEqual(dn, outcome.GetProperty("dn").GetString(), story);
            Assert.AreEqual(string.Format(System.Globalization.CultureInfo.InvariantCulture, "00:08:5d:f1:{0:x2}:{1:x2}", index >> 8, index & 0xFF), outcome.GetProperty("mac").GetString(), story);
            JsonElement registered = events.Last(e => e.GetProperty("event").GetString() == "registered");
            Assert.AreEqual(dn, registered.GetProperty("dn").GetString(), story);
            Assert.AreEqual("127.0.0.1:" + (homedOnB ? cluster.PortB : cluster.PortA), registered.GetProperty("controller").GetString(), story);
            Assert.AreEqual(homedOnB, events.Any(e => e.GetProperty("event").GetString() == "redirect"), story);
            Assert.AreEqual(types, events.Any(e => e.GetProperty("event").GetString() == "pin.prompt"), story);
            Assert.AreEqual(types, events.Any(e => e.GetProperty("event").GetString() == "pin.entered"), story);
            Assert.IsTrue(events.Any(e => e.GetProperty("event").GetString() == "tftp.done"), story);
        }
    }

    private static int Registrations(TestDirectory directory, string config)
    {
        (int exit, string output) = ControllerAdmin.Run(directory, config, "registrations");
        return exit != 0 ? -1 : output.Split('\n').Count(line => line.Contains("00:08:5d:f1:", StringComparison.Ordinal));
    }
}
