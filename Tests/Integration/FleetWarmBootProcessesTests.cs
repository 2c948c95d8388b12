using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// Issue 13, the warm boot storm: a fleet phone keeps its installed image's version in its flash
/// like the real set, so once the image is current it is skipped by the manifest's version. One
/// `controller serve` on loopback (DHCP, TFTP with boot.img, DNs 2000-2019); the fleet runs three
/// times: cold with `--flash-dir` (the image is fetched and recorded), again on that flash (skipped),
/// and in memory with `--installed-image` naming another version (fetched: the version is compared).
/// </summary>
[TestClass]
public class FleetWarmBootProcessesTests
{
    private const int Phones = 20;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [TestMethod]
    public void AFleetPhoneWhoseImageIsCurrentSkipsItByTheManifestsVersion()
    {
        using TestDirectory directory = new("fleet-warm-storm-perf");
        int dhcpPort = FreePorts.Udp();
        int tftpPort = FreePorts.Udp();
        int port = FreePorts.Tcp();
        Directory.CreateDirectory(directory.File("boot"));
        byte[] image = RandomNumberGenerator.GetBytes(20_000);
        File.WriteAllBytes(directory.File("boot/boot.img"), image);
        string version = Convert.ToHexString(SHA256.HashData(image))[..12].ToLowerInvariant();
        string dns = string.Join(",", Enumerable.Range(2000, Phones).Select(dn => $"{{ \"number\": \"{dn}\", \"name\": \"W {dn}\" }}"));
        File.WriteAllText(directory.File("a.json"), $$"""
            {
              "element": { "name": "A", "ceidIndex": 1, "ceidDigits": "71" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": {{dhcpPort}}, "tftp": {{tftpPort}}, "registration": {{port}} },
              "database": "a.db",
              "dhcp": { "poolStart": "10.201.0.10", "poolEnd": "10.201.0.250" },
              "tftp": { "maxTransfersPerSource": {{Phones}} },
              "telephoneDirectory": [ {{dns}} ]
            }
            """);
        using BackgroundProcess controller = new("dotnet", BuiltPrograms.Controller + " serve --config a.json", directory.Path);
        Assert.IsTrue(controller.WaitForLine("admin API", Wait), "the controller did not start:\n" + controller.Output);
        string fleet = BuiltPrograms.Phone + $" fleet --count {Phones} --threads 2 --dhcp-server 127.0.0.1:{dhcpPort} --mac-base 00:08:5d:f7:00:00"
            + " --dn-base 2000 --pin-pattern \"***{dn}\" --seed 7 --timeout 30 --events json";

        Dictionary<int, List<JsonElement>> cold = Run(directory, fleet + " --flash-dir flash");
        Dictionary<int, List<JsonElement>> warm = Run(directory, fleet + " --flash-dir flash");
        Dictionary<int, List<JsonElement>> stale = Run(directory, fleet + " --installed-image 000000000000");

        for (int phone = 0; phone < Phones; phone++)
        {
            string story = "phone " + phone + ": cold " + Story(cold[phone]) + "\nwarm " + Story(warm[phone]) + "\nstale " + Story(stale[phone]);
            JsonElement written = cold[phone].Single(e => Is(e, "tftp.done", "boot.img"));
            Assert.IsTrue(written.GetProperty("written").GetBoolean(), story);
            Assert.AreEqual(version, written.GetProperty("version").GetString(), story);

            JsonElement skipped = warm[phone].Single(e => Is(e, "tftp.skipped", "boot.img"));
            Assert.AreEqual(version, skipped.GetProperty("version").GetString(), story);
            Assert.IsFalse(warm[phone].Any(e => Is(e, "tftp.done", "boot.img")), story);
            Assert.IsTrue(warm[phone].Any(e => e.GetProperty("event").GetString() == "registered"), story);

            Assert.IsTrue(stale[phone].Single(e => Is(e, "tftp.done", "boot.img")).GetProperty("written").GetBoolean(), story);
            Assert.IsFalse(stale[phone].Any(e => Is(e, "tftp.skipped", "boot.img")), story);
        }
    }

    private static Dictionary<int, List<JsonElement>> Run(TestDirectory directory, string arguments)
    {
        using BackgroundProcess run = new("dotnet", arguments, directory.Path);
        Assert.IsTrue(run.WaitForExit(Wait), "the fleet did not finish:\n" + FleetEvents.Tail(run.Output));
        Assert.AreEqual(0, run.ExitCode, FleetEvents.Tail(run.Output));
        Dictionary<int, List<JsonElement>> byPhone = FleetEvents.ByPhone(run.Output);
        Assert.AreEqual(Phones, byPhone.Count, "every phone publishes events:\n" + FleetEvents.Tail(run.Output));
        return byPhone;
    }

    private static bool Is(JsonElement e, string name, string file)
    {
        return e.GetProperty("event").GetString() == name && e.TryGetProperty("file", out JsonElement f) && f.GetString() == file;
    }

    private static string Story(List<JsonElement> events)
    {
        return string.Join("\n", events.Select(e => e.GetRawText()));
    }
}
