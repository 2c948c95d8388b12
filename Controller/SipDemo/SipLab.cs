using System;
using System.IO;
using System.Threading.Tasks;
using Controller.Configuration;

namespace Controller.SipDemo;

/// <summary>
/// What a SIP set needs on loopback, all children or parts of this process: Kamailio element A
/// (the registrar the files name) and, for a cluster, element B (A answers 302 with B for numbers
/// 2xxx, B sends 1xxx back to A, 9xxx loop), and this controller's DHCP and TFTP: option 125 names
/// the TFTP server, which serves startup.cfg (registrar A, UDP) and the &lt;MAC&gt;.cfg files
/// written with <see cref="WriteLineFile"/>. The DHCP pool is the one address
/// <see cref="LeaseAddress"/>, so a phone bound there (`--bind`) puts an address in its Via and
/// Contact that reaches it. Used by `controller demo --sip` and by the tests of the phone's SIP
/// mode (terminal view, test port, HIL runner). Runs as root or not: loopback, free high ports,
/// its files under <see cref="Directory"/>.
/// </summary>
public sealed class SipLab : IAsyncDisposable
{
    /// <summary>The address the lab's DHCP leases (its pool holds only this one).</summary>
    public const string LeaseAddress = "127.0.0.50";

    /// <summary>Numbers homed on element B (A redirects them there); 9xxx is homed on "the other" at both, a loop.</summary>
    public const string HomedOnB = "^(2|9)";

    private const string HomedOnA = "^(1|9)";

    private SipLab(string directory)
    {
        Directory = directory;
        TftpRoot = Path.Combine(directory, "tftp");
    }

    /// <summary>Element A: the registrar startup.cfg names.</summary>
    public KamailioElement A { get; private set; } = null!;

    /// <summary>Element B (null when started without a cluster).</summary>
    public KamailioElement? B { get; private set; }

    /// <summary>This controller's element, for its DHCP and TFTP only (its bench registration port is unused).</summary>
    public ControllerElement Provisioning { get; private set; } = null!;

    public string Directory { get; }

    public string TftpRoot { get; }

    public int DhcpPort => Provisioning.DhcpPort;

    public int TftpPort => Provisioning.TftpPort;

    /// <summary>Starts Kamailio A (and B with <paramref name="cluster"/>), then DHCP and TFTP; throws <see cref="SipLabException"/> with the reason.</summary>
    public static SipLab Start(string directory, bool cluster)
    {
        KamailioElement.RequireInstalled();
        System.IO.Directory.CreateDirectory(directory);
        SipLab lab = new(directory);
        try
        {
            int portA = KamailioElement.FreePort();
            int portB = cluster ? KamailioElement.FreePort() : 0;
            lab.A = cluster
                ? new KamailioElement("A", Path.Combine(directory, "kamailio-a"), portA, HomedOnB, "sip:127.0.0.1:" + portB)
                : new KamailioElement("A", Path.Combine(directory, "kamailio-a"), portA, null, null);
            if (cluster)
            {
                lab.B = new KamailioElement("B", Path.Combine(directory, "kamailio-b"), portB, HomedOnA, "sip:127.0.0.1:" + portA);
            }

            System.IO.Directory.CreateDirectory(lab.TftpRoot);
            File.WriteAllText(Path.Combine(lab.TftpRoot, "startup.cfg"), "# the SIP lab's startup.cfg: register with element A over UDP\nsip registrar ip: 127.0.0.1\nsip registrar port: " + portA + "\nsip transport protocol: 1\n");
            lab.Provisioning = new ControllerElement(ProvisioningConfig(directory));
            lab.Provisioning.Start();
            return lab;
        }
        catch
        {
            lab.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>The file name a set with <paramref name="mac"/> asks for: 12 upper-case hex digits and ".cfg".</summary>
    public static string LineFileName(string mac)
    {
        return mac.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant() + ".cfg";
    }

    /// <summary>Writes the &lt;MAC&gt;.cfg of one set (its line's keys, `key: value` lines).</summary>
    public void WriteLineFile(string mac, string text)
    {
        File.WriteAllText(Path.Combine(TftpRoot, LineFileName(mac)), text);
    }

    public async ValueTask DisposeAsync()
    {
        if (Provisioning != null)
        {
            await Provisioning.DisposeAsync().ConfigureAwait(false);
        }

        B?.Dispose();
        A?.Dispose();
    }

    // DHCP and TFTP on free loopback ports; the bench's own registration server is started too, and unused.
    private static ControllerConfig ProvisioningConfig(string directory)
    {
        string path = Path.Combine(directory, "provisioning.json");
        File.WriteAllText(path, $$"""
            {
              "element": { "name": "sip-lab", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": 0, "tftp": 0, "registration": 0 },
              "database": "provisioning.db",
              "dhcp": { "poolStart": "{{LeaseAddress}}", "poolEnd": "{{LeaseAddress}}", "subnetMask": "255.0.0.0", "router": "127.0.0.1", "leaseSeconds": 3600 },
              "tftp": { "root": "tftp", "manifest": false },
              "admin": { "enabled": false }
            }
            """);
        foreach (string suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(Path.Combine(directory, "provisioning.db" + suffix)); // each run starts from this configuration
        }

        return ConfigLoader.Load(path);
    }
}
