using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Controller;
using Controller.Configuration;
using PhoneFirmware.Host.Fleet;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// `phone fleet --no-dhcp` in this process against a controller element on loopback, as
/// bench/registration-storm runs it: every phone registers from power-up with its stored PIN.
/// The element counts what the phones send; the fleet's summary counts what its loop did. Both
/// are counts the code decides, not times.
/// </summary>
[TestClass]
public sealed class FleetRegistrationLoopTests
{
    private const int Phones = 40;
    private const int FirstDn = 3000;

    // A phone powers up only once another of its worker's has settled, on the same thread and clock,
    // so with half-open intervals [powered up, registered) at most the window overlap: an order, not a time.
    [TestMethod]
    public async Task AWindowOfFourKeepsAtMostFourPhonesBetweenPowerUpAndRegistered()
    {
        using TestDirectory directory = new("fleet-window");
        await using ControllerElement element = StartElement(directory);

        JsonElement summary = RunFleet(directory, element.RegistrationPort, "--window", "4");

        Assert.AreEqual(Phones, summary.GetProperty("registered").GetInt32(), summary.ToString());
        List<(long At, int Change)> edges = new();
        foreach (JsonElement outcome in summary.GetProperty("outcomes").EnumerateArray())
        {
            long powered = outcome.GetProperty("poweredUpMilliseconds").GetInt64();
            long registered = outcome.GetProperty("registeredMilliseconds").GetInt64();
            Assert.IsTrue(powered >= 0 && registered >= powered, outcome.ToString());
            edges.Add((powered, +1));
            edges.Add((registered, -1));
        }

        // At equal times the registration comes first: the next phone powered up after it.
        edges.Sort((x, y) => x.At != y.At ? x.At.CompareTo(y.At) : x.Change.CompareTo(y.Change));
        int between = 0;
        int most = 0;
        foreach ((long _, int change) in edges)
        {
            between += change;
            most = Math.Max(most, between);
        }

        Assert.IsTrue(most >= 1, "no phone was between power-up and registered");
        Assert.IsTrue(most <= 4, most + " phones were between power-up and registered at once; the window is 4");
    }

    [TestMethod]
    public async Task TcpPhonesRegisterWithoutACrossThreadWakeAndTheLoopIsCounted()
    {
        using TestDirectory directory = new("fleet-loop");
        await using ControllerElement element = StartElement(directory);

        JsonElement summary = RunFleet(directory, element.RegistrationPort);

        JsonElement loop = summary.GetProperty("loop");
        Assert.AreEqual(Phones, summary.GetProperty("registered").GetInt32(), summary.ToString());
        Assert.AreEqual(Phones, loop.GetProperty("registered").GetInt32(), "the loop was counted when every phone had registered");

        // A connect's end comes through the worker's own readiness wait, never from another thread.
        Assert.AreEqual(0, loop.GetProperty("wakes").GetInt64(), loop.ToString());
        Assert.IsTrue(loop.GetProperty("steps").GetInt64() >= Phones, "every phone was stepped at least once: " + loop);
        Assert.IsTrue(loop.GetProperty("waits").GetInt64() > 0, loop.ToString());
        Assert.IsTrue(loop.GetProperty("readySockets").GetInt64() >= Phones, "every phone's connect was reported ready: " + loop);
        Assert.IsTrue(loop.GetProperty("workerAllocatedBytes").GetInt64() > 0, loop.ToString());
        Assert.IsTrue(loop.GetProperty("processAllocatedBytes").GetInt64() >= loop.GetProperty("workerAllocatedBytes").GetInt64(), "the process allocated at least what its workers did: " + loop);
        Assert.IsTrue(summary.GetProperty("lastRegisteredMilliseconds").GetInt64() >= 0, summary.ToString());
    }

    // The refusal comes through the worker's readiness wait at once: the fleet stops at 4 s, before
    // the 5 s connect deadline (CallServerTimeoutMilliseconds) would fail a connect nobody reported.
    [TestMethod]
    public void APhoneWhoseCallServerRefusesTheConnectIsToldAtOnceAndFails()
    {
        using TestDirectory directory = new("fleet-refused");
        int closedPort = FreePorts.Tcp();

        JsonElement summary = RunFleet(directory, closedPort, "--count", "2", "--timeout", "4");

        Assert.AreEqual(0, summary.GetProperty("registered").GetInt32(), summary.ToString());
        Assert.AreEqual(2, summary.GetProperty("failed").GetInt32(), summary.ToString());
        foreach (JsonElement outcome in summary.GetProperty("outcomes").EnumerateArray())
        {
            StringAssert.StartsWith(outcome.GetProperty("reason").GetString(), "callserver-unreachable", outcome.ToString());
        }
    }

    private static ControllerElement StartElement(TestDirectory directory)
    {
        StringBuilder entries = new();
        for (int i = 0; i < Phones; i++)
        {
            entries.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")} {{ \"number\": \"{FirstDn + i}\", \"name\": \"Loop {FirstDn + i}\" }}");
        }

        File.WriteAllText(directory.File("config.json"), $$"""
            {
              "element": { "name": "fleet-loop", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": 0, "tftp": 0, "registration": 0 },
              "database": "element.db",
              "dhcp": { "enabled": false },
              "tftp": { "enabled": false },
              "admin": { "enabled": false },
              "telephoneDirectory": [ {{entries}} ]
            }
            """);
        ControllerConfig config = ConfigLoader.Load(directory.File("config.json"));
        ControllerElement element = new(config);
        element.Start();
        return element;
    }

    // The fleet as the registration storm runs it, in this process; its summary as JSON.
    private static JsonElement RunFleet(TestDirectory directory, int registrationPort, params string[] extra)
    {
        string summaryPath = directory.File("summary-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        List<string> args = new()
        {
            "--count", Phones.ToString(CultureInfo.InvariantCulture), "--threads", "2", "--mac-base", "00:08:5d:4c:00:00",
            "--dn-base", FirstDn.ToString(CultureInfo.InvariantCulture), "--pin-pattern", "***{dn}", "--pins", "stored",
            "--no-dhcp", "--no-boot-files", "--call-server", "127.0.0.1:" + registrationPort.ToString(CultureInfo.InvariantCulture),
            "--seed", "5", "--timeout", "60", "--no-progress", "--summary-json", summaryPath,
        };
        args.AddRange(extra); // a later --count or --timeout wins
        int exit = FleetCommand.Run(args.ToArray());
        Assert.IsTrue(File.Exists(summaryPath), "the fleet wrote no summary (exit " + exit + ")");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(summaryPath));
        return json.RootElement.Clone();
    }
}
