using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// Kamailio 5.6 on loopback with the shipped tools/kamailio/kamailio.cfg: its own UDP and TCP
/// port, its own ctl socket and a copy of the db_text users in a temporary directory; killed
/// (with its children) on dispose. With a TLS port it also serves TLS (WITH_TLS): a lab CA and a
/// server certificate for its address made by tools/kamailio/make-tls-cert (openssl), and a copy of
/// tools/kamailio/tls.cfg pointing at them.
/// </summary>
public sealed class KamailioProcess : IDisposable
{
    public const string Realm = "phonefirmware.test";
    private const string Kamailio = "/usr/sbin/kamailio";
    private const string Kamcmd = "/usr/sbin/kamcmd";
    private readonly BackgroundProcess _process;
    private readonly string _socket;

    /// <param name="redirect">For a cluster element: the To-user regex homed elsewhere and the URI of that element; null for a plain registrar.</param>
    /// <param name="tlsPort">A TCP port for the TLS listener; 0 for none.</param>
    public KamailioProcess(string directory, int port, string? otherHomed = null, string? other = null, int tlsPort = 0)
        : this(directory, port, null, "127.0.0.1", otherHomed, other, tlsPort)
    {
    }

    /// <summary>Kamailio inside <paramref name="pair"/>'s server namespace, listening on <paramref name="address"/> (null pair: this namespace).</summary>
    /// <param name="subscribers">More digest users for the db_text subscriber table, each "number:password" (realm <see cref="Realm"/>).</param>
    public KamailioProcess(string directory, int port, NetworkNamespacePair? pair, string address, string? otherHomed = null, string? other = null, int tlsPort = 0, string[]? subscribers = null)
    {
        Peer.Require(Kamailio);
        Peer.Require(Kamcmd);
        Port = port;
        string db = Path.Combine(directory, "db-" + port);
        Directory.CreateDirectory(db);
        foreach (string table in new[] { "version", "subscriber" })
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, "tools", "kamailio", "db", table), Path.Combine(db, table), overwrite: true);
        }

        AddSubscribers(Path.Combine(db, "subscriber"), subscribers);
        _socket = Path.Combine(directory, "ctl-" + port + ".sock");
        string runtime = Path.Combine(directory, "run-" + port);
        Directory.CreateDirectory(runtime);
        string config = Path.Combine(RepositoryPaths.Root, "tools", "kamailio", "kamailio.cfg");
        string arguments = "-f " + config + " -DD -E -m 32 -M 4 -Y " + runtime
            + " -l udp:" + address + ":" + port + " -l tcp:" + address + ":" + port
            + " " + Define("CTL_SOCKET", "unix:" + _socket) + " " + Define("DB_URL", "text://" + db);
        if (otherHomed != null && other != null)
        {
            arguments += " -A WITH_REDIRECT " + Define("OTHER_HOMED", otherHomed) + " " + Define("OTHER", other);
        }

        if (tlsPort != 0)
        {
            arguments += " -l tls:" + address + ":" + tlsPort + " -A WITH_TLS " + Define("TLS_CONFIG", WriteTlsProfile(directory, port, address));
        }

        _process = pair == null ? new BackgroundProcess(Kamailio, arguments, directory) : pair.Start(pair.ServerNamespace, Kamailio, arguments, directory);
        DateTime until = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(_socket) || Command("core.uptime").ExitCode != 0)
        {
            Assert.IsFalse(_process.HasExited || DateTime.UtcNow > until, "kamailio did not start:\n" + _process.Output);
            Thread.Sleep(50);
        }
    }

    public int Port { get; }

    /// <summary>The lab CA that signed the TLS listener's certificate (PEM); null without TLS.</summary>
    public string? CaPem { get; private set; }

    public string Output => _process.Output;

    /// <summary>`kamcmd ul.dump`: the location table.</summary>
    public string LocationTable()
    {
        (int exitCode, string output) = Command("ul.dump");
        Assert.AreEqual(0, exitCode, "kamcmd ul.dump: " + output);
        return output;
    }

    public void Dispose()
    {
        _process.Dispose();
    }

    // The certificates for ADDRESS (openssl, through the shipped script) and tls.cfg with their directory filled in.
    private string WriteTlsProfile(string directory, int port, string address)
    {
        string certificates = Path.Combine(directory, "tls-" + port);
        string script = Path.Combine(RepositoryPaths.Root, "tools", "kamailio", "make-tls-cert");
        (int exitCode, string output) = ProcessRunner.Run(script, certificates + " " + address, directory, TimeSpan.FromSeconds(30));
        Assert.AreEqual(0, exitCode, "make-tls-cert: " + output);
        CaPem = Path.Combine(certificates, "ca.pem");
        string profile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tools", "kamailio", "tls.cfg")).Replace("CERT_DIR", certificates, StringComparison.Ordinal);
        string file = Path.Combine(certificates, "tls.cfg");
        File.WriteAllText(file, profile);
        return file;
    }

    // db_text rows "id:username:domain:password", numbered after the shipped users.
    private static void AddSubscribers(string table, string[]? subscribers)
    {
        if (subscribers == null)
        {
            return;
        }

        int id = 100;
        System.Text.StringBuilder rows = new();
        foreach (string user in subscribers)
        {
            rows.Append(id++).Append(':').Append(user.Split(':')[0]).Append(':').Append(Realm).Append(':').Append(user.Split(':')[1]).Append('\n');
        }

        File.AppendAllText(table, rows.ToString());
    }

    /// <summary>-A NAME="value": a string define for the config (the process arguments are split .NET's way, \" a literal quote).</summary>
    private static string Define(string name, string value)
    {
        return "-A \"" + name + "=\\\"" + value + "\\\"\"";
    }

    private (int ExitCode, string Output) Command(string command)
    {
        return ProcessRunner.Run(Kamcmd, "-s unix:" + _socket + " " + command, Path.GetTempPath(), TimeSpan.FromSeconds(10));
    }
}
