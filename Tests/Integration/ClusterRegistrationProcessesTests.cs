using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// The controller's registration decisions of issue 11 through real `controller serve` and `phone`
/// processes on loopback, two elements: A (DHCP, TFTP, DNs 1000 and 1001, Automatic DN Selection
/// 3000-3009) and B (DN 2000). A device without PIN memory homed on B reaches B by its MAC; a DN
/// taken by Automatic DN Selection on A reaches B's Remote Directory Numbers; a replacement ends
/// the registration of the set that held the DN; the Multiline IP Sets CLI clears a MAC alone and
/// deletes by DN.
/// </summary>
[TestClass]
public class ClusterRegistrationProcessesTests
{
    private const string PagerMac = "00:08:5d:dd:00:01";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [TestMethod]
    public void CrossElementDeviceWithoutPinMemoryAutomaticDnAcrossElementsAndADisplacedSet()
    {
        using TestDirectory directory = new("cluster-registration");
        using LoopbackCluster cluster = new(
            directory,
            """
            "registration": { "automaticDnRange": "3000-3009" },
            "telephoneDirectory": [ { "number": "1000", "name": "Set on A" }, { "number": "1001", "name": "Other on A" } ]
            """,
            $$"""
            "telephoneDirectory": [ { "number": "2000", "name": "Pager on B" } ],
            "multilineIpSets": [ { "mac": "{{PagerMac}}", "dn": "2000", "pinMemory": false } ]
            """);
        BackgroundProcess a = cluster.A;
        BackgroundProcess b = cluster.B;
        Assert.IsTrue(ControllerAdmin.WaitFor(() => ControllerAdmin.Run(directory, "a.json", "remote list").Output.Contains("2000  2", StringComparison.Ordinal)), "A never learned DN 2000");
        string phone = BuiltPrograms.Phone + $" --dhcp-server 127.0.0.1:{cluster.DhcpPort} --dhcp-client-port 0 --events json";

        // A device without PIN memory homed on B: A, its DHCP element, holds a reservation of its MAC
        // on B's DN and redirects it there; B registers it by its MAC. No prompt, no error, no PIN.
        (int reserveExit, string reserveOutput) = ControllerAdmin.Run(directory, "a.json", "sets reserve " + PagerMac + " 2000 --no-pin-memory");
        Assert.AreEqual(0, reserveExit, reserveOutput);
        StringAssert.Contains(ControllerAdmin.Run(directory, "a.json", "sets list").Output, "2000  " + PagerMac + "  remote");
        (int pagerExit, string pagerOutput) = ProcessRunner.Run("dotnet", phone + " --mac " + PagerMac + " --flash pager.flash --exit-after registered --timeout 40", directory.Path, Wait + Wait);
        Assert.AreEqual(0, pagerExit, pagerOutput + "\nA:\n" + a.Output);
        List<JsonElement> pager = JsonEvents.Parse(pagerOutput);
        Assert.AreEqual("127.0.0.1:" + cluster.PortB, JsonEvents.Find(pager, "redirect").GetProperty("target").GetString());
        Assert.AreEqual("127.0.0.1:" + cluster.PortB, JsonEvents.Find(pager, "registered").GetProperty("controller").GetString());
        Assert.AreEqual("2000", JsonEvents.Find(pager, "registered").GetProperty("dn").GetString());
        Assert.IsFalse(pager.Exists(e => e.GetProperty("event").GetString() is "pin.prompt" or "pin.saved" or "callserver.unreachable"), pagerOutput);

        // Automatic DN Selection on A: the userless set takes DN 3000 and B hears of it.
        (int userlessExit, string userlessOutput) = ProcessRunner.Run("dotnet", phone + " --mac 00:08:5d:dd:00:02 --flash userless.flash --pin *** --exit-after registered --timeout 40", directory.Path, Wait + Wait);
        Assert.AreEqual(0, userlessExit, userlessOutput);
        Assert.AreEqual("3000", JsonEvents.Find(JsonEvents.Parse(userlessOutput), "registered").GetProperty("dn").GetString());
        Assert.IsTrue(ControllerAdmin.WaitFor(() => ControllerAdmin.Run(directory, "b.json", "remote list").Output.Contains("3000  1", StringComparison.Ordinal)), "B never learned DN 3000: " + ControllerAdmin.Run(directory, "b.json", "remote list").Output);

        // A replacement: the set on DN 1000 is still connected when another set takes the DN with the
        // replacement code. The old set is told to clear its PIN and reset, then prompts.
        using BackgroundProcess old = new("dotnet", phone + " --mac 00:08:5d:dd:00:03 --flash old.flash --pin ***1000", directory.Path);
        Assert.IsTrue(old.WaitForLine("\"event\":\"registered\"", Wait), old.Output);
        int oldMark = old.LineCount;
        using BackgroundProcess replacement = new("dotnet", phone + " --mac 00:08:5d:dd:00:04 --flash new.flash --pin ###1000", directory.Path);
        Assert.IsTrue(replacement.WaitForLine("\"event\":\"registered\"", Wait), replacement.Output);
        Assert.IsTrue(old.WaitForLine("\"event\":\"pin.cleared\",\"reason\":\"dn-in-use\"", Wait, oldMark), old.Output);
        Assert.IsTrue(old.WaitForLine("\"event\":\"reset\"", Wait, oldMark), old.Output);
        Assert.IsTrue(old.WaitForLine("\"event\":\"pin.prompt\",\"reason\":\"none-stored\"", Wait, oldMark), old.Output);
        string live = ControllerAdmin.Run(directory, "a.json", "registrations").Output;
        StringAssert.Contains(live, "00:08:5d:dd:00:04  1000");
        Assert.IsFalse(live.Contains("00:08:5d:dd:00:03", StringComparison.Ordinal), "one DN, one live registration:\n" + live);

        // Multiline IP Sets: clear the MAC alone (the row stays; the connected set resets), delete by DN.
        int newMark = replacement.LineCount;
        (int clearExit, string clearOutput) = ControllerAdmin.Run(directory, "a.json", "sets clear-mac 1000");
        Assert.AreEqual(0, clearExit, clearOutput);
        StringAssert.Contains(clearOutput, "\"setsReset\":1");
        Assert.IsTrue(replacement.WaitForLine("\"event\":\"pin.cleared\",\"reason\":\"mac-deleted\"", Wait, newMark), replacement.Output);
        StringAssert.Contains(ControllerAdmin.Run(directory, "a.json", "sets list").Output, "1000  -");
        Assert.AreEqual(0, ControllerAdmin.Run(directory, "a.json", "sets delete --dn 3000").ExitCode);
        Assert.IsFalse(ControllerAdmin.Run(directory, "a.json", "sets list").Output.Contains("3000  ", StringComparison.Ordinal));
        (int missingExit, string missingOutput) = ControllerAdmin.Run(directory, "a.json", "sets delete --dn 1001");
        Assert.AreEqual(1, missingExit, "DN 1001 has no set: " + missingOutput);
        StringAssert.Contains(missingOutput, "no set on DN 1001");
    }
}
