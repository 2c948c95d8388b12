using System;
using System.Collections.Generic;
using System.Text.Json;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// A two-element cluster of real `controller serve` processes and real `phone` processes on
/// loopback: RDN synchronisation at start-up, a redirect to the DN's home element, the admin CLI
/// (good and bad input), and deleting a DN while its set is connected.
/// </summary>
[TestClass]
public class ClusterProcessesTests
{
    [TestMethod]
    public void RedirectRdnSyncAdminCliAndDeleteDnWhileConnected()
    {
        using TestDirectory directory = new("cluster-processes");
        using LoopbackCluster cluster = new(
            directory,
            """
            "telephoneDirectory": [ { "number": "1000", "name": "Set on A" } ]
            """,
            """
            "telephoneDirectory": [ { "number": "2000", "name": "Set on B" } ]
            """);
        BackgroundProcess a = cluster.A;

        // RDN synchronisation: neither configuration lists the other's DN; the elements tell each other.
        Assert.IsTrue(WaitFor(() => Admin(directory, "a.json", "remote list").Output.Contains("2000  2", StringComparison.Ordinal)), Admin(directory, "a.json", "remote list").Output);
        Assert.IsTrue(WaitFor(() => Admin(directory, "b.json", "remote list").Output.Contains("1000  1", StringComparison.Ordinal)), Admin(directory, "b.json", "remote list").Output);

        string phone = BuiltPrograms.Phone + $" --dhcp-server 127.0.0.1:{cluster.DhcpPort} --dhcp-client-port 0 --events json --timeout 40";
        (int exit, string output) = ProcessRunner.Run("dotnet", phone + " --mac 00:08:5d:cc:00:01 --flash p1.flash --exit-after registered --pin ***2000", directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, output + "\nA:\n" + a.Output);
        Assert.AreEqual("127.0.0.1:" + cluster.PortB, JsonEvents.Find(JsonEvents.Parse(output), "redirect").GetProperty("target").GetString());
        Assert.AreEqual("127.0.0.1:" + cluster.PortB, JsonEvents.Find(JsonEvents.Parse(output), "registered").GetProperty("controller").GetString());

        // The admin CLI refuses bad input with a message and changes nothing.
        (int badExit, string badOutput) = Admin(directory, "a.json", "directory add 12345678 Too-long");
        Assert.AreEqual(1, badExit, badOutput);
        StringAssert.Contains(badOutput, "12345678");
        Assert.IsFalse(Admin(directory, "a.json", "directory list").Output.Contains("12345678", StringComparison.Ordinal));
        Assert.AreEqual(1, Admin(directory, "a.json", "directory delete 4444").ExitCode);
        Assert.AreEqual(0, Admin(directory, "a.json", "directory add 1500 Added-by-CLI").ExitCode);
        Assert.IsTrue(WaitFor(() => Admin(directory, "b.json", "remote list").Output.Contains("1500  1", StringComparison.Ordinal)), "a DN added on A is found from B");

        // Delete a DN while its set is connected: the set is told to clear its PIN, resets and prompts.
        using BackgroundProcess connected = new("dotnet", phone.Replace("--timeout 40", string.Empty, StringComparison.Ordinal) + " --mac 00:08:5d:cc:00:02 --flash p2.flash --pin ***1000", directory.Path);
        Assert.IsTrue(connected.WaitForLine("\"event\":\"registered\"", TimeSpan.FromSeconds(40)), connected.Output);
        StringAssert.Contains(Admin(directory, "a.json", "registrations").Output, "00:08:5d:cc:00:02  1000");
        (int deleteExit, string deleteOutput) = Admin(directory, "a.json", "directory delete 1000");
        Assert.AreEqual(0, deleteExit, deleteOutput);
        StringAssert.Contains(deleteOutput, "\"setsReset\":1");
        Assert.IsTrue(connected.WaitForLine("\"event\":\"pin.prompt\",\"reason\":\"none-stored\"", TimeSpan.FromSeconds(30)), connected.Output);
        List<JsonElement> events = JsonEvents.Parse(connected.Output);
        Assert.AreEqual("dn-deleted", JsonEvents.Find(events, "pin.cleared").GetProperty("reason").GetString());
        JsonEvents.Find(events, "reset");
    }

    private static (int ExitCode, string Output) Admin(TestDirectory directory, string config, string command)
    {
        return ControllerAdmin.Run(directory, config, command);
    }

    private static bool WaitFor(Func<bool> condition)
    {
        return ControllerAdmin.WaitFor(condition);
    }
}
