using System;
using System.IO;
using Controller.SipDemo;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// A Kamailio 5.6 peer for the interop tests: the controller's <see cref="KamailioElement"/> (the
/// SIP lab's way of starting it, with the shipped configuration and db_text users) in its own
/// directory under the test's, on loopback or in a namespace pair's server namespace; a missing
/// Kamailio fails the test with how to install it. With a TLS port it also serves TLS: a lab CA
/// and a server certificate for its address made by tools/kamailio/make-tls-cert (openssl), and a
/// copy of tools/kamailio/tls.cfg pointing at them.
/// </summary>
public sealed class KamailioProcess : IDisposable
{
    public const string Realm = KamailioElement.Realm;
    private readonly KamailioElement _element;

    /// <param name="otherHomed">For a cluster element: the To-user regex homed elsewhere (with <paramref name="other"/>, that element's URI); null for a plain registrar.</param>
    /// <param name="tlsPort">A TCP port for the TLS listener; 0 for none.</param>
    public KamailioProcess(string directory, int port, string? otherHomed = null, string? other = null, int tlsPort = 0)
        : this(directory, port, null, "127.0.0.1", otherHomed, other, tlsPort)
    {
    }

    /// <summary>Kamailio inside <paramref name="pair"/>'s server namespace, listening on <paramref name="address"/> (null pair: this namespace).</summary>
    /// <param name="subscribers">More digest users for the db_text subscriber table, each "number:password" (realm <see cref="Realm"/>).</param>
    public KamailioProcess(string directory, int port, NetworkNamespacePair? pair, string address, string? otherHomed = null, string? other = null, int tlsPort = 0, string[]? subscribers = null)
    {
        Peer.Require(KamailioElement.Executable);
        Peer.Require(KamailioElement.Kamcmd);
        Port = port;
        KamailioElementOptions options = new()
        {
            Address = address,
            OtherHomed = otherHomed,
            Other = other,
            TlsPort = tlsPort,
            TlsProfile = tlsPort != 0 ? WriteTlsProfile(directory, port, address) : null,
            Subscribers = subscribers ?? Array.Empty<string>(),
            Namespace = pair?.ServerNamespace,
        };
        _element = new KamailioElement(port.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(directory, "kamailio-" + port), port, options);
    }

    public int Port { get; }

    /// <summary>The lab CA that signed the TLS listener's certificate (PEM); null without TLS.</summary>
    public string? CaPem { get; private set; }

    /// <summary>Kamailio's last lines, for a failure's message.</summary>
    public string Output => _element.Log;

    /// <summary>`kamcmd ul.dump`: the location table.</summary>
    public string LocationTable()
    {
        return _element.LocationTable();
    }

    public void Dispose()
    {
        _element.Dispose();
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
}
