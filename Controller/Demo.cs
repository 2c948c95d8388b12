using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Host;
using Protocol.Registration;

namespace Controller;

/// <summary>
/// `controller demo`: the bench in one command, the seed document's own example. Starts two
/// elements on loopback from the embedded default configurations (bench-1 with DNs 1000 and 1001,
/// DHCP and TFTP; bench-2 with DN 2004, which bench-1 learns by RDN synchronisation), then boots
/// emulated phones: the first registration with PIN ***1000, a power cycle that re-registers from
/// flash without a prompt, a set whose DN 2004 lives on bench-2 redirected there and registered
/// without a second prompt, and a set told to clear its PIN because DN 1000 is in use.
/// </summary>
public static class Demo
{
    public const string PhoneMac = "00:08:5d:00:10:00";
    public const string PhonePin = "***1000";
    public const string RemotePhoneMac = "00:08:5d:00:20:04";
    public const string RemotePin = "***2004";
    public const string SecondPhoneMac = "00:08:5d:00:10:01";

    public static async Task<int> Run(TextWriter output, string? workDirectory, CancellationToken cancellation)
    {
        string directory = workDirectory ?? Path.Combine(Path.GetTempPath(), "phonefirmware-demo-" + Environment.ProcessId);
        Directory.CreateDirectory(directory);
        ControllerConfig secondConfig = LoadEmbedded(directory, "demo-config-2.json");
        ControllerConfig config = LoadEmbedded(directory, "demo-config.json");
        BootImage.WriteIfMissing(Path.Combine(config.Tftp.Root, "boot.img"), 256 * 1024);

        // bench-2 first, so bench-1's Cluster Elements can name the port it picked.
        await using ControllerElement second = new(secondConfig);
        second.Start();
        config.ClusterElements.Add(new ClusterElementConfig { CeidIndex = 2, CeidDigits = "2", Address = "127.0.0.1", RegistrationPort = second.RegistrationPort, Comment = second.Name });
        await using ControllerElement element = new(config);
        element.Start();
        second.Admin!.AddElement(1, "1", "127.0.0.1", element.RegistrationPort, element.Name);
        second.RdnSynchronizer!.AnnounceAll(); // bench-1 learns that DN 2004 lives on bench-2
        foreach (ControllerElement e in new[] { element, second })
        {
            output.WriteLine($"controller {e.Name}: registration 127.0.0.1:{e.RegistrationPort}" + (e.DhcpPort != 0 ? $", DHCP 127.0.0.1:{e.DhcpPort}, TFTP 127.0.0.1:{e.TftpPort}" : string.Empty));
            string name = e.Name;
            e.Registration!.Replied += (mac, reply) => output.WriteLine($"controller {name}: {mac} <- {reply.Type} {Describe(reply)}");
        }

        output.WriteLine($"controller {element.Name}: option 125 = {element.PhoneConfigString}");
        if (!WaitFor(() => element.Admin!.ListRemote().Exists(r => r.Number == "2004"), TimeSpan.FromSeconds(10), cancellation))
        {
            output.WriteLine("demo: FAILED (bench-1 never learned DN 2004 from bench-2)");
            return 1;
        }

        output.WriteLine($"controller {element.Name}: Remote Directory Numbers: 2004 on element 2 (RDN synchronisation)");
        string remoteTarget = "127.0.0.1:" + second.RegistrationPort;
        List<string> failures = new();

        // 1. First registration: a PIN prompt, answered with ***1000.
        Boot boot = BootPhone(output, element, directory, PhoneMac, PhonePin, "first boot", EventNames.Registered, cancellation);
        Expect(failures, boot.Reached && boot.Prompts == 1, "the first boot registers after one PIN prompt");

        // 2. Power cycle: the stored PIN registers it without a prompt.
        boot = BootPhone(output, element, directory, PhoneMac, null, "power cycle", EventNames.Registered, cancellation);
        Expect(failures, boot.Reached && boot.Prompts == 0, "the power cycle re-registers from the stored PIN without a prompt");

        // 3. DN 2004 lives on bench-2: bench-1 saves the PIN and redirects; bench-2 registers it, no second prompt.
        boot = BootPhone(output, element, directory, RemotePhoneMac, RemotePin, "DN 2004 of the other element", EventNames.Registered, cancellation);
        Expect(failures, boot.Reached && boot.Prompts == 1 && boot.Find(EventNames.Redirect)?.Find("target") as string == remoteTarget && boot.Find(EventNames.Registered)?.Find("controller") as string == remoteTarget, "the set of DN 2004 is redirected to bench-2 and registers there without a second prompt");

        // 4. Another set typing DN 1000's PIN: that DN is assigned to the first set's MAC, so its PIN is cleared.
        boot = BootPhone(output, element, directory, SecondPhoneMac, PhonePin, "another set on DN 1000", EventNames.PinCleared, cancellation);
        Expect(failures, boot.Reached && boot.Find(EventNames.PinCleared)?.Find("reason") as string == "dn-in-use", "a set whose PIN names a DN in use is told to clear its PIN");

        if (failures.Count == 0)
        {
            output.WriteLine("demo: phone " + PhoneMac + " registered as DN 1000, then re-registered from its stored PIN without a prompt;");
            output.WriteLine("demo: phone " + RemotePhoneMac + " was redirected to bench-2 for DN 2004 and registered there without a second prompt;");
            output.WriteLine("demo: phone " + SecondPhoneMac + " was told to clear its PIN: DN 1000 is in use");
            return 0;
        }

        if (cancellation.IsCancellationRequested)
        {
            output.WriteLine("demo: stopped before the phones finished");
            return 0;
        }

        output.WriteLine("demo: FAILED: " + string.Join("; ", failures) + " (see the events above)");
        return 1;
    }

    private static ControllerConfig LoadEmbedded(string directory, string name)
    {
        string configPath = Path.Combine(directory, name);
        using (Stream resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!)
        using (FileStream file = File.Create(configPath))
        {
            resource.CopyTo(file);
        }

        ControllerConfig config = ConfigLoader.Load(configPath);
        foreach (string suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(config.Database + suffix); // each run starts from the configuration, not from a previous run's forms
        }

        return config;
    }

    private static void Expect(List<string> failures, bool held, string what)
    {
        if (!held)
        {
            failures.Add("expected: " + what);
        }
    }

    private static Boot BootPhone(TextWriter output, ControllerElement element, string directory, string mac, string? pin, string label, string until, CancellationToken cancellation)
    {
        output.WriteLine($"--- phone {mac}: {label}");
        string flash = Path.Combine(directory, "phone-" + mac.Replace(":", string.Empty, StringComparison.Ordinal) + ".flash");
        if (pin != null)
        {
            File.Delete(flash); // a set out of the box
        }

        List<string> args = new() { "--mac", mac, "--flash", flash, "--dhcp-server", "127.0.0.1:" + element.DhcpPort, "--dhcp-client-port", "0" };
        if (pin != null)
        {
            args.Add("--pin");
            args.Add(pin);
        }

        Boot boot = new();
        using EmulatedPhone phone = new(PhoneOptions.Parse(args.ToArray()), new PrefixedSink(output, "phone: "));
        phone.EventPublished += boot.Events.Add;
        boot.Reached = phone.Run(until, TimeSpan.FromSeconds(20), cancellation);
        phone.Shutdown();
        output.WriteLine($"--- phone {mac}: " + (boot.Reached ? until + (boot.Prompts == 0 ? " without a PIN prompt" : " after " + boot.Prompts + " PIN prompt(s)") : "no " + until + " within 20 s"));
        return boot;
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan limit, CancellationToken cancellation)
    {
        DateTime end = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > end || cancellation.WaitHandle.WaitOne(50))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(RegistrationMessage reply)
    {
        return reply.Type switch
        {
            RegistrationMessageType.PinRequest => "reason=" + reply.Reason,
            RegistrationMessageType.Registered => "dn=" + reply.Dn + " name='" + reply.DisplayName + "' savePin=" + reply.SavePin,
            RegistrationMessageType.Redirect => "to " + reply.Host + ":" + reply.Port + " savePin=" + reply.SavePin,
            RegistrationMessageType.ClearPin => "reason=" + reply.Reason,
            _ => string.Empty,
        };
    }

    // What one boot of a phone showed.
    private sealed class Boot
    {
        public List<PhoneEvent> Events { get; } = new();

        public bool Reached { get; set; }

        public int Prompts => Events.FindAll(e => e.Name == EventNames.PinPrompt).Count;

        public PhoneEvent? Find(string name)
        {
            return Events.FindLast(e => e.Name == name);
        }
    }

    private sealed class PrefixedSink : IPhoneEventSink
    {
        private readonly TextWriter _output;
        private readonly string _prefix;

        public PrefixedSink(TextWriter output, string prefix)
        {
            _output = output;
            _prefix = prefix;
        }

        public void Publish(PhoneEvent phoneEvent)
        {
            if (phoneEvent.Name != EventNames.Display)
            {
                _output.WriteLine(_prefix + EventWriter.ToText(phoneEvent));
            }
        }
    }
}
