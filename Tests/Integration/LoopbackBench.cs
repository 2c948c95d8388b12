using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Controller;
using Controller.Configuration;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Host;
using Tests.Support;

namespace Tests.Integration;

/// <summary>A controller element on loopback with free ports, and phones booted against it on real sockets.</summary>
public sealed class LoopbackBench : IAsyncDisposable
{
    private readonly TestDirectory _directory = new("bench");

    public LoopbackBench(string? extraConfig = null)
    {
        string config = """
            {
              "element": { "name": "bench-test", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": 0, "tftp": 0, "registration": 0 },
              "database": "element.db",
              "tftp": { "root": "boot" },
              "telephoneDirectory": [ { "number": "1000", "name": "Bench set 1000" }, { "number": "1001", "name": "Bench set 1001" } ]
            }
            """;
        File.WriteAllText(_directory.File("config.json"), extraConfig ?? config);
        Config = ConfigLoader.Load(_directory.File("config.json"));
        BootFile = Path.Combine(Config.Tftp.Root, "boot.img");
        BootImage.WriteIfMissing(BootFile, 100 * 1024 + 17);
        Element = new ControllerElement(Config);
        Element.Start();
    }

    public ControllerConfig Config { get; }

    public ControllerElement Element { get; }

    public string BootFile { get; }

    public string FlashPath(string mac) => _directory.File(mac.Replace(":", string.Empty, StringComparison.Ordinal) + ".flash");

    /// <summary>Boots a phone until <paramref name="exitAfter"/> (or 30 s) and returns every event it published.</summary>
    public List<PhoneEvent> Boot(string mac, string? pin, string exitAfter, params string[] extraArgs)
    {
        return Boot(mac, pin, (e, _) => e.Name == exitAfter, exitAfter, extraArgs);
    }

    /// <summary>Boots a phone until <paramref name="exitWhen"/> accepts an event (given the events so far).</summary>
    public List<PhoneEvent> Boot(string mac, string? pin, Func<PhoneEvent, List<PhoneEvent>, bool> exitWhen, string description, params string[] extraArgs)
    {
        List<string> args = new() { "--mac", mac, "--flash", FlashPath(mac), "--dhcp-server", "127.0.0.1:" + Element.DhcpPort, "--dhcp-client-port", "0", "--seed", "7" };
        if (pin != null)
        {
            args.Add("--pin");
            args.Add(pin);
        }

        args.AddRange(extraArgs);
        List<PhoneEvent> events = new();
        using EmulatedPhone phone = new(PhoneOptions.Parse(args.ToArray()), null);
        phone.EventPublished += e => events.Add(e);
        bool reached = phone.Run(e => exitWhen(e, events), TimeSpan.FromSeconds(30), CancellationToken.None);
        phone.Shutdown();
        Assert.IsTrue(reached, "phone " + mac + " never reached '" + description + "'; events: " + Describe(events));
        return events;
    }

    public static string Describe(List<PhoneEvent> events)
    {
        List<string> lines = new();
        foreach (PhoneEvent e in events)
        {
            if (e.Name != EventNames.Display)
            {
                lines.Add(EventWriter.ToText(e));
            }
        }

        return string.Join("\n", lines);
    }

    public async ValueTask DisposeAsync()
    {
        await Element.DisposeAsync();
        _directory.Dispose();
    }
}
