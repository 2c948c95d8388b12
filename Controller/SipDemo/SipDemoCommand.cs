using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Host;

namespace Controller.SipDemo;

/// <summary>
/// `controller demo --sip`: the phone's SIP mode against real Kamailio in one command. Starts the
/// <see cref="SipLab"/> with two elements (Kamailio A and B as children, DHCP and TFTP here) and
/// boots one emulated set in SIP mode in this process: its files give it number 2001 (homed on
/// B) and a 20 s registration period, so A answers 302, the set registers at B, refreshes at
/// half the grant, then removes its binding (Expires: 0). Each step is one "sip-demo:" line,
/// with what Kamailio's location table holds; about 15 s.
/// </summary>
public static class SipDemoCommand
{
    public const string PhoneMac = "00:08:5d:00:51:01";
    public const string Number = "2001";
    public const int RegistrationPeriodSeconds = 20;
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(30);

    // The refresh is due at half the grant; the removal may wait for timer F (32 s).
    private static readonly TimeSpan RefreshLimit = TimeSpan.FromSeconds(RegistrationPeriodSeconds + 10);
    private static readonly TimeSpan UnregisterLimit = TimeSpan.FromSeconds(40);

    public static async Task<int> Run(TextWriter output, string? workDirectory, CancellationToken cancellation)
    {
        string directory = workDirectory ?? Path.Combine(Path.GetTempPath(), "phonefirmware-sip-demo-" + Environment.ProcessId);
        SipLab lab;
        try
        {
            lab = SipLab.Start(directory, cluster: true);
        }
        catch (SipLabException error)
        {
            output.WriteLine("sip-demo: FAILED: " + error.Message);
            return 1;
        }

        await using (lab.ConfigureAwait(false))
        {
            KamailioElement b = lab.B!;
            output.WriteLine($"sip-demo: kamailio A at {lab.A.Address} (udp and tcp), run directory {lab.A.RunDirectory}; it answers 302 to numbers homed on B (2xxx)");
            output.WriteLine($"sip-demo: kamailio B at {b.Address} (udp and tcp), run directory {b.RunDirectory}");
            lab.WriteLineFile(PhoneMac, $"sip line1 user name: {Number}\nsip line1 password: 3456\nsip line1 display name: Demo set {Number}\nsip line1 registration period: {RegistrationPeriodSeconds}\n");
            output.WriteLine($"sip-demo: DHCP 127.0.0.1:{lab.DhcpPort} (leases {SipLab.LeaseAddress}), TFTP 127.0.0.1:{lab.TftpPort} serving startup.cfg (registrar A) and {SipLab.LineFileName(PhoneMac)} (line {Number}, period {RegistrationPeriodSeconds} s)");
            return RunPhone(output, lab, Path.Combine(directory, "phone.flash"), cancellation);
        }
    }

    private static int RunPhone(TextWriter output, SipLab lab, string flash, CancellationToken cancellation)
    {
        KamailioElement b = lab.B!;
        File.Delete(flash); // a set out of the box: its credentials come from the files
        string[] args = { "--protocol", "sip", "--mac", PhoneMac, "--flash", flash, "--dhcp-server", "127.0.0.1:" + lab.DhcpPort, "--dhcp-client-port", "0", "--bind", SipLab.LeaseAddress, "--sip-port", "0" };
        output.WriteLine("sip-demo: phone " + PhoneMac + ": phone " + string.Join(" ", args));
        List<string> failures = new();
        using EmulatedPhone phone = new(PhoneOptions.Parse(args), new DemoLines(output, lab));
        try
        {
            // Registered (after A's 302, at B), then the refresh at half the grant.
            bool registered = phone.Run(EventNames.Registered, StepLimit, cancellation);
            Expect(failures, registered, "the set registers within " + StepLimit.TotalSeconds + " s");
            if (registered)
            {
                Expect(failures, ShowBindings(output, b).Exists(x => x.StartsWith(Number + " -> ", StringComparison.Ordinal)), "B's location table holds " + Number);
                Expect(failures, phone.Continue(e => e.Name == EventNames.SipRefresh, RefreshLimit, cancellation), "the set refreshes its registration");
            }

            if (cancellation.IsCancellationRequested)
            {
                output.WriteLine("sip-demo: stopped");
                return 0;
            }

            if (registered)
            {
                Expect(failures, phone.Unregister(UnregisterLimit, cancellation), "the set removes its binding");
                Expect(failures, !ShowBindings(output, b).Exists(x => x.StartsWith(Number + " -> ", StringComparison.Ordinal)), "B's location table no longer holds " + Number);
            }
        }
        finally
        {
            phone.Shutdown();
        }

        if (failures.Count > 0)
        {
            output.WriteLine("sip-demo: FAILED: " + string.Join("; ", failures) + " (see the lines above)");
            return 1;
        }

        output.WriteLine($"sip-demo: done: {Number} was redirected from A to B, registered at B, refreshed there and unregistered; kamailio A and B stopped");
        return 0;
    }

    private static List<string> ShowBindings(TextWriter output, KamailioElement element)
    {
        List<string> bindings = element.Bindings();
        output.WriteLine("sip-demo: kamailio " + element.Name + " location table (kamcmd ul.dump): " + (bindings.Count == 0 ? "empty" : string.Join(", ", bindings)));
        return bindings;
    }

    private static void Expect(List<string> failures, bool held, string what)
    {
        if (!held)
        {
            failures.Add("expected: " + what);
        }
    }

    // Every phone event as a "phone:" line, and the steps that matter as "sip-demo:" lines naming the element.
    private sealed class DemoLines : IPhoneEventSink
    {
        private readonly TextWriter _output;
        private readonly SipLab _lab;

        public DemoLines(TextWriter output, SipLab lab)
        {
            _output = output;
            _lab = lab;
        }

        public void Publish(PhoneEvent phoneEvent)
        {
            if (phoneEvent.Name == EventNames.Display)
            {
                return;
            }

            _output.WriteLine("phone: " + EventWriter.ToText(phoneEvent));
            string at = ElementAt(phoneEvent.Find("controller") as string ?? phoneEvent.Find("target") as string);
            switch (phoneEvent.Name)
            {
                case EventNames.Redirect:
                    _output.WriteLine("sip-demo: redirected: kamailio A answered 302; the set follows the Contact to " + at);
                    break;
                case EventNames.Registered:
                    _output.WriteLine("sip-demo: registered: " + phoneEvent.Find("dn") + " at " + at + " without a prompt");
                    break;
                case EventNames.SipRefresh:
                    _output.WriteLine("sip-demo: refreshed: " + at + " granted " + phoneEvent.Find("seconds") + " s again");
                    break;
                case EventNames.SipUnregistered:
                    _output.WriteLine("sip-demo: unregistered: " + at + " answered " + phoneEvent.Find("status") + " to Expires: 0");
                    break;
            }
        }

        private string ElementAt(string? target)
        {
            if (target == _lab.A.Address)
            {
                return "kamailio A (" + target + ")";
            }

            return target != null && target == _lab.B?.Address ? "kamailio B (" + target + ")" : target ?? "?";
        }
    }
}
