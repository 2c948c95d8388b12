using System;
using System.Collections.Generic;
using System.Text.Json;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// The phone's redirect policy through real `controller serve` and `phone` processes on
/// loopback: two elements whose Remote Directory Numbers send DN 3999 to each other (the chain
/// ends at the hop limit and the phone backs off), and a DN whose element does not answer (the
/// target is retried after a back-off, then DHCP's call server again after a longer one).
/// </summary>
[TestClass]
public class RedirectPolicyProcessesTests
{
    [TestMethod]
    public void ARedirectLoopEndsAndAnUnreachableTargetIsRetriedThenDhcpsServerAfterLongerBackOff()
    {
        using TestDirectory directory = new("redirect-policy-reg-phone");
        int portDead = FreePorts.Tcp();
        using LoopbackCluster cluster = new(
            directory,
            """
            "telephoneDirectory": [ { "number": "1000", "name": "Set on A" } ],
            "remoteDirectoryNumbers": [ { "number": "3999", "ceidIndex": 2 }, { "number": "4000", "ceidIndex": 3 } ]
            """,
            """
            "telephoneDirectory": [ { "number": "2000", "name": "Set on B" } ],
            "remoteDirectoryNumbers": [ { "number": "3999", "ceidIndex": 1 } ]
            """,
            $$"""
            { "ceidIndex": 3, "ceidDigits": "73", "address": "127.0.0.1", "registrationPort": {{portDead}}, "comment": "down" }
            """);
        BackgroundProcess a = cluster.A;
        BackgroundProcess b = cluster.B;
        string phone = BuiltPrograms.Phone + $" --dhcp-server 127.0.0.1:{cluster.DhcpPort} --dhcp-client-port 0 --events json";

        // The loop: A sends 3999 to B, B sends it back; the fifth redirect ends the chain.
        (int exit, string output) = ProcessRunner.Run("dotnet", phone + " --mac 00:08:5d:cc:01:01 --flash loop.flash --pin ***3999 --exit-after callserver.backoff --timeout 30", directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, output + "\nA:\n" + a.Output + "\nB:\n" + b.Output);
        List<JsonElement> events = JsonEvents.Parse(output);
        Assert.AreEqual(4, Names(events).FindAll(n => n == "redirect").Count, string.Join(" ", Names(events)));
        Assert.AreEqual(4, JsonEvents.Find(events, "redirect.limit").GetProperty("hops").GetInt32());
        Assert.AreEqual("redirect-loop", JsonEvents.Find(events, "callserver.backoff").GetProperty("cause").GetString());
        StringAssert.Contains(output, "\"text\":\"Redirect loop\"");

        // The unreachable target: retried once after 4 s, then A again after 8 s.
        using BackgroundProcess down = new("dotnet", phone + " --mac 00:08:5d:cc:01:02 --flash down.flash --pin ***4000", directory.Path);
        string target = "127.0.0.1:" + portDead;
        string[] expected =
        {
            "redirect " + target, "callserver.unreachable " + target, "callserver.backoff redirect-failed 4000",
            "callserver.unreachable " + target, "callserver.backoff redirect-failed 8000", "register.sent 127.0.0.1:" + cluster.PortA,
        };
        List<string> steps = new();
        DateTime end = DateTime.UtcNow.AddSeconds(40);
        while (DateTime.UtcNow < end && !StartsWithAfterFirstRedirect(steps, expected))
        {
            System.Threading.Thread.Sleep(250);
            steps = Steps(JsonEvents.Parse(down.Output));
        }

        Assert.IsTrue(StartsWithAfterFirstRedirect(steps, expected), string.Join(", ", steps) + "\n" + down.Output);
    }

    private static List<string> Names(List<JsonElement> events)
    {
        return events.ConvertAll(e => e.GetProperty("event").GetString()!);
    }

    // The registration steps of a run, each with the detail that tells them apart.
    private static List<string> Steps(List<JsonElement> events)
    {
        List<string> steps = new();
        foreach (JsonElement e in events)
        {
            string name = e.GetProperty("event").GetString()!;
            switch (name)
            {
                case "redirect": steps.Add(name + " " + e.GetProperty("target").GetString()); break;
                case "callserver.unreachable":
                case "register.sent": steps.Add(name + " " + e.GetProperty("controller").GetString()); break;
                case "callserver.backoff": steps.Add(name + " " + e.GetProperty("cause").GetString() + " " + e.GetProperty("milliseconds").GetInt32()); break;
            }
        }

        return steps;
    }

    private static bool StartsWithAfterFirstRedirect(List<string> steps, string[] expected)
    {
        int first = steps.FindIndex(s => s.StartsWith("redirect ", StringComparison.Ordinal));
        if (first < 0 || steps.Count - first < expected.Length)
        {
            return false;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (steps[first + i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }
}
