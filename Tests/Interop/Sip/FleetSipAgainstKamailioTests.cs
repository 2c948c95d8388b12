using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// `phone fleet --protocol sip --no-dhcp`: 60 SIP phone cores in the client namespace (tagged
/// `fleetsip`) on one static address, startup.cfg from tftpd-hpa naming Kamailio (tools/kamailio)
/// in the server namespace, whose db_text subscriber table the test fills with one digest user per
/// phone: number --dn-base + i, password the fleet's --pin-pattern for it — except a few, whose
/// password at the registrar differs. Most phones find both in flash; every 20th types them. Every phone must be challenged; each right one registers on
/// its number with its binding in `kamcmd ul.dump`, each wrong one ends "refused" with no binding.
/// </summary>
[TestClass]
public sealed class FleetSipAgainstKamailioTests
{
    private const int Phones = 60;
    private const int DnBase = 3000;
    private const int TypedEvery = 20; // phones 0, 20 and 40 type their number and password at the prompts
    private static readonly int[] WrongAtRegistrar = { 7, 23, 41 };
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    [TestMethod]
    [DataRow("udp")]
    [DataRow("tcp")]
    public void SixtySipPhonesRegisterWithKamailioAndThoseWithAWrongPasswordEndRefused(string transport)
    {
        using TestDirectory directory = new("fleetsip-" + transport);
        using NetworkNamespacePair pair = new("fleetsip");
        string server = pair.ServerAddress;
        string client = pair.Address(2);
        (int addExit, string addOutput) = pair.Run(pair.ClientNamespace, "/usr/sbin/ip", "addr add " + client + "/24 dev " + pair.ClientInterface, "/", TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, addExit, addOutput);

        string tftpRoot = Path.Combine(directory.Path, "tftp");
        Directory.CreateDirectory(tftpRoot);
        File.WriteAllText(Path.Combine(tftpRoot, "startup.cfg"), "sip registrar ip: " + server + "\nsip registrar port: 5060\nsip line1 registration period: 120\n");
        using BackgroundProcess tftp = pair.Start(pair.ServerNamespace, Peer.Require("/usr/sbin/in.tftpd"), "--foreground --listen --address " + server + ":69 --user root --secure " + tftpRoot, directory.Path);
        string[] users = Enumerable.Range(0, Phones).Select(i => (DnBase + i) + ":" + (WrongAtRegistrar.Contains(i) ? "1111" : "7" + (DnBase + i))).ToArray();
        using KamailioProcess kamailio = new(directory.Path, 5060, pair, server, subscribers: users);

        string fleet = BuiltPrograms.Phone + $" fleet --count {Phones} --threads 2 --bind {client} --no-dhcp --tftp-server {server} --protocol sip --transport {transport}"
            + $" --mac-base 00:08:5d:5f:00:00 --dn-base {DnBase} --pin-pattern \"7{{dn}}\" --typed-every {TypedEvery} --seed 9 --timeout 45 --hold --events json --summary-json summary.json";
        using BackgroundProcess run = pair.Start(pair.ClientNamespace, "dotnet", fleet, directory.Path);
        // --hold says "settled" or "timed out" once, then holds the phones.
        Assert.IsTrue(run.WaitForLine("holding until SIGTERM", SettleTimeout), "the fleet did not stop waiting:\n" + FleetEvents.Tail(run.Output));
        StringAssert.Contains(run.Output, "phone fleet: settled", "the fleet did not settle:\n" + FleetEvents.Tail(run.Output) + "\nkamailio:\n" + FleetEvents.Tail(kamailio.Output));

        // Held registered: the location table has exactly the right phones, at the fleet's address.
        string table = kamailio.LocationTable();
        HashSet<string> bound = System.Text.RegularExpressions.Regex.Matches(table, @"AoR: (\d+)").Select(m => m.Groups[1].Value).ToHashSet();
        HashSet<string> right = Enumerable.Range(0, Phones).Where(i => !WrongAtRegistrar.Contains(i)).Select(i => (DnBase + i).ToString(CultureInfo.InvariantCulture)).ToHashSet();
        Assert.IsTrue(right.SetEquals(bound), "ul.dump's AoRs are not the phones with the right password:\n" + table);
        Assert.AreEqual(right.Count, CountOf(table, "Address: sip:"), "one binding per registered number:\n" + table);
        Assert.AreEqual(right.Count, CountOf(table, "@" + client + ":"), "every Contact names the fleet's address:\n" + table);
        Assert.AreEqual(right.Count, CountOf(table, "Socket: " + transport + ":" + server + ":5060"), table);

        run.Signal("TERM");
        Assert.IsTrue(run.WaitForExit(TimeSpan.FromSeconds(20)), "the fleet did not stop on SIGTERM:\n" + FleetEvents.Tail(run.Output));
        string story = "fleet (exit " + run.ExitCode + "):\n" + FleetEvents.Tail(run.Output);
        Assert.AreEqual(1, run.ExitCode, "refused phones make the exit 1: " + story);

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(directory.File("summary.json")));
        JsonElement root = summary.RootElement;
        Assert.AreEqual("sip", root.GetProperty("protocol").GetString(), story);
        Assert.AreEqual(Phones - WrongAtRegistrar.Length, root.GetProperty("registered").GetInt32(), story);
        Assert.AreEqual(WrongAtRegistrar.Length, root.GetProperty("refused").GetInt32(), story);
        Assert.AreEqual(Phones, root.GetProperty("challenged").GetInt32(), story);
        Assert.AreEqual(0, root.GetProperty("failed").GetInt32(), story);
        Assert.AreEqual(Phones, root.GetProperty("booted").GetInt32(), story);
        Assert.AreEqual(Phones / TypedEvery, root.GetProperty("typed").GetInt32(), story);

        // Per phone, from its own events: the static address, the files, the challenge, then registered or refused.
        Dictionary<int, List<JsonElement>> byPhone = FleetEvents.ByPhone(run.Output);
        Assert.AreEqual(Phones, byPhone.Count, story);
        foreach (JsonElement outcome in root.GetProperty("outcomes").EnumerateArray())
        {
            int index = outcome.GetProperty("phone").GetInt32();
            string dn = (DnBase + index).ToString(CultureInfo.InvariantCulture);
            List<JsonElement> events = byPhone[index];
            string phoneStory = "phone " + index + ":\n" + string.Join("\n", events.Select(e => e.GetRawText()));
            Assert.AreEqual(client, Last(events, "network.static").GetProperty("address").GetString(), phoneStory);
            Assert.IsFalse(events.Any(e => Name(e).StartsWith("dhcp.", StringComparison.Ordinal)), phoneStory);
            Assert.AreEqual(server, Last(events, "sip.config").GetProperty("server").GetString(), phoneStory);
            Assert.IsTrue(events.Any(e => Name(e) == "sip.challenge"), phoneStory);
            if (WrongAtRegistrar.Contains(index))
            {
                Assert.AreEqual("refused", outcome.GetProperty("outcome").GetString(), phoneStory);
                JsonElement cleared = Last(events, "pin.cleared");
                Assert.AreEqual("credentials-refused", cleared.GetProperty("reason").GetString(), phoneStory);
                Assert.AreEqual(dn, cleared.GetProperty("kept").GetString(), phoneStory);
                Assert.IsFalse(events.Any(e => Name(e) == "registered"), phoneStory);
            }
            else
            {
                Assert.AreEqual("registered", outcome.GetProperty("outcome").GetString(), phoneStory);
                JsonElement registered = Last(events, "registered");
                Assert.AreEqual(dn, registered.GetProperty("dn").GetString(), phoneStory);
                Assert.AreEqual(server + ":5060", registered.GetProperty("controller").GetString(), phoneStory);
                bool types = index % TypedEvery == 0;
                string[] prompts = events.Where(e => Name(e) == "pin.prompt").Select(e => e.GetProperty("entry").GetString()!).ToArray();
                CollectionAssert.AreEqual(types ? new[] { "number", "password" } : System.Array.Empty<string>(), prompts, "typed at the prompts, else stored: " + phoneStory);
                Assert.AreEqual(types, events.Any(e => Name(e) == "pin.saved"), phoneStory);
            }
        }
    }

    private static string Name(JsonElement e)
    {
        return e.GetProperty("event").GetString()!;
    }

    private static JsonElement Last(List<JsonElement> events, string name)
    {
        return events.Last(e => Name(e) == name);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
