using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Controller.Events;
using Controller.Web;

namespace Controller;

/// <summary>
/// `controller demo --web`: a two-element cluster on loopback (bench-1 with DNs 1000 and 1001,
/// bench-2 with DN 2000, known to bench-1 as a Remote Directory Number) and three phones run
/// in-process, all booting from bench-1's DHCP server; the one meant for DN 2000 is redirected
/// to bench-2. The phones' pages and both elements' admin pages are served by each element's
/// admin server; the addresses and the sign-in token are printed.
/// </summary>
public sealed class WebDemo : IAsyncDisposable
{
    public static readonly (string Label, string Mac, string Pin)[] PhoneSet =
    {
        ("Set 1000", "00:08:5d:00:10:00", "***1000"),
        ("Set 1001", "00:08:5d:00:10:01", "***1001"),
        ("Set 2000 (homed on bench-2)", "00:08:5d:00:20:00", "***2000"),
    };

    private WebDemo(ControllerElement first, ControllerElement second)
    {
        First = first;
        Second = second;
    }

    public ControllerElement First { get; }

    public ControllerElement Second { get; }

    public List<WebPhone> Phones => First.SiteExtras.Phones;

    public static async Task<int> Run(TextWriter output, string? workDirectory, CancellationToken cancellation)
    {
        string directory = workDirectory ?? Path.Combine(Path.GetTempPath(), "phonefirmware-web-demo-" + Environment.ProcessId);
        await using WebDemo demo = await StartAsync(directory).ConfigureAwait(false);
        foreach (ControllerElement element in new[] { demo.First, demo.Second })
        {
            output.WriteLine($"controller {element.Name}: registration 127.0.0.1:{element.RegistrationPort}, web admin {element.AdminAddress}");
        }

        output.WriteLine($"web demo: open {demo.First.AdminAddress}phones and sign in with token {demo.First.AdminToken} (bench-2: {demo.Second.AdminToken})");
        foreach ((string label, string mac, string pin) in PhoneSet)
        {
            output.WriteLine($"web demo: {label} {mac}: type {pin} then OK");
        }

        output.WriteLine("web demo: Ctrl+C stops");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    /// <summary>Starts both elements, joins them into a cluster and powers the phones up (they prompt for a PIN).</summary>
    public static async Task<WebDemo> StartAsync(string directory)
    {
        ControllerElement first = new(Configure(directory, "bench-1", 1, dhcp: true, new[] { ("1000", "Bench set 1000"), ("1001", "Bench set 1001") }));
        ControllerElement second = new(Configure(directory, "bench-2", 2, dhcp: false, new[] { ("2000", "Bench set 2000") }));
        WebDemo demo = new(first, second);
        try
        {
            await first.StartAsync().ConfigureAwait(false);
            await second.StartAsync().ConfigureAwait(false);
            first.Admin!.AddElement(2, "2", "127.0.0.1", second.RegistrationPort, second.Name);
            second.Admin!.AddElement(1, "1", "127.0.0.1", first.RegistrationPort, first.Name);
            first.Admin.AddRemote("2000", 2, null);
            RelayRedirects(first, second);
            RelayRedirects(second, first);
            first.SiteExtras.Peers.Add(second);
            second.SiteExtras.Peers.Add(first);
            foreach ((string label, string mac, string _) in PhoneSet)
            {
                WebPhone phone = new(label, mac, Path.Combine(directory, mac.Replace(":", string.Empty, StringComparison.Ordinal) + ".flash"), first.DhcpPort);
                first.SiteExtras.Phones.Add(phone);
                second.SiteExtras.Phones.Add(phone);
                phone.PowerUp(holdingStar: false);
            }
        }
        catch
        {
            await demo.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return demo;
    }

    // The registration protocol does not tell the target element that a set was redirected to it;
    // in one process the demo can: the target's log gets the redirect too, saying where from.
    private static void RelayRedirects(ControllerElement from, ControllerElement to)
    {
        string target = "to 127.0.0.1:" + to.RegistrationPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        from.Events.Published += e =>
        {
            if (e.Kind == ControllerEventKinds.Redirect && e.Detail == target)
            {
                to.Events.Publish(ControllerEventKinds.Redirect, e.Subject, "from " + from.Name + ": sent here");
            }
        };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (WebPhone phone in First.SiteExtras.Phones)
        {
            phone.Dispose();
        }

        await First.DisposeAsync().ConfigureAwait(false);
        await Second.DisposeAsync().ConfigureAwait(false);
    }

    // The embedded demo configuration, one per element, in its own directory (a fresh database each run).
    private static ControllerConfig Configure(string directory, string name, int ceidIndex, bool dhcp, (string Number, string Name)[] numbers)
    {
        string elementDirectory = Path.Combine(directory, name);
        Directory.CreateDirectory(elementDirectory);
        string configPath = Path.Combine(elementDirectory, "demo-config.json");
        using (Stream resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("demo-config.json")!)
        using (FileStream file = File.Create(configPath))
        {
            resource.CopyTo(file);
        }

        ControllerConfig config = ConfigLoader.Load(configPath);
        config.Element = new ElementConfig { Name = name, CeidIndex = ceidIndex, CeidDigits = ceidIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (string stale in new[] { config.Database, config.Database + "-wal", config.Database + "-shm" })
        {
            File.Delete(stale);
        }

        config.Dhcp.Enabled = dhcp;
        config.TelephoneDirectory.Clear();
        foreach ((string number, string displayName) in numbers)
        {
            config.TelephoneDirectory.Add(new DirectoryEntryConfig { Number = number, Name = displayName });
        }

        BootImage.WriteIfMissing(Path.Combine(config.Tftp.Root, "boot.img"), 256 * 1024);
        return config;
    }
}
