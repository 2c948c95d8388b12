using System;
using System.IO;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Host;

namespace Controller;

/// <summary>
/// `controller demo`: the bench in one command. Starts an element on loopback from the embedded
/// default configuration, boots one emulated phone against it (first registration with PIN
/// ***1000), then power-cycles the phone to show it re-registers from flash without a prompt.
/// </summary>
public static class Demo
{
    public const string PhoneMac = "00:08:5d:00:10:00";
    public const string PhonePin = "***1000";

    public static async Task<int> Run(TextWriter output, string? workDirectory, CancellationToken cancellation)
    {
        string directory = workDirectory ?? Path.Combine(Path.GetTempPath(), "phonefirmware-demo-" + Environment.ProcessId);
        Directory.CreateDirectory(directory);
        string configPath = Path.Combine(directory, "demo-config.json");
        using (Stream resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("demo-config.json")!)
        using (FileStream file = File.Create(configPath))
        {
            resource.CopyTo(file);
        }

        ControllerConfig config = ConfigLoader.Load(configPath);
        BootImage.WriteIfMissing(Path.Combine(config.Tftp.Root, "boot.img"), 256 * 1024);
        await using ControllerElement element = new(config);
        element.Start();
        output.WriteLine($"controller {element.Name}: DHCP 127.0.0.1:{element.DhcpPort}, TFTP 127.0.0.1:{element.TftpPort}, registration 127.0.0.1:{element.RegistrationPort}");
        output.WriteLine($"controller {element.Name}: option 125 = {element.PhoneConfigString}");
        element.Registration!.Replied += (mac, reply) => output.WriteLine($"controller {element.Name}: {mac} <- {reply.Type} {Describe(reply)}");

        string flash = Path.Combine(directory, "phone.flash");
        File.Delete(flash);
        bool first = BootPhone(output, element, flash, PhonePin, "first boot", cancellation);
        bool second = first && BootPhone(output, element, flash, null, "power cycle", cancellation);
        if (first && second)
        {
            output.WriteLine("demo: phone " + PhoneMac + " registered as DN 1000, then re-registered from its stored PIN without a prompt");
            return 0;
        }

        if (cancellation.IsCancellationRequested)
        {
            output.WriteLine("demo: stopped before the phone finished");
            return 0;
        }

        output.WriteLine("demo: FAILED (see the events above)");
        return 1;
    }

    private static bool BootPhone(TextWriter output, ControllerElement element, string flash, string? pin, string label, CancellationToken cancellation)
    {
        output.WriteLine($"--- phone {PhoneMac}: {label}");
        System.Collections.Generic.List<string> args = new()
        {
            "--mac", PhoneMac, "--flash", flash, "--dhcp-server", "127.0.0.1:" + element.DhcpPort, "--dhcp-client-port", "0",
        };
        if (pin != null)
        {
            args.Add("--pin");
            args.Add(pin);
        }

        PhoneOptions options = PhoneOptions.Parse(args.ToArray());
        bool prompted = false;
        using EmulatedPhone phone = new(options, new PrefixedSink(output, "phone: "));
        phone.EventPublished += e => prompted |= e.Name == EventNames.PinPrompt;
        bool registered = phone.Run(EventNames.Registered, TimeSpan.FromSeconds(30), cancellation);
        phone.Shutdown();
        if (!registered && cancellation.IsCancellationRequested)
        {
            return false;
        }

        if (!registered)
        {
            output.WriteLine($"--- phone {PhoneMac}: not registered within 30 s");
            return false;
        }

        output.WriteLine($"--- phone {PhoneMac}: registered {(prompted ? "after a PIN prompt" : "without a PIN prompt")}");
        return pin != null || !prompted;
    }

    private static string Describe(Protocol.Registration.RegistrationMessage reply)
    {
        return reply.Type switch
        {
            Protocol.Registration.RegistrationMessageType.PinRequest => "reason=" + reply.Reason,
            Protocol.Registration.RegistrationMessageType.Registered => "dn=" + reply.Dn + " name='" + reply.DisplayName + "' savePin=" + reply.SavePin,
            Protocol.Registration.RegistrationMessageType.Redirect => "to " + reply.Host + ":" + reply.Port,
            Protocol.Registration.RegistrationMessageType.ClearPin => "reason=" + reply.Reason,
            _ => string.Empty,
        };
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
