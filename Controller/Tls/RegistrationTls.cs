using System;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Controller.Configuration;
using Hal.Host;

namespace Controller.Tls;

/// <summary>
/// The element's TLS material, loaded once at start-up: the server certificate its registration
/// listener presents, and the trust it applies to other elements' certificates (RdnUpdate links).
/// Every unreadable file is a <see cref="ConfigException"/> naming the field.
/// </summary>
public sealed class RegistrationTls : IDisposable
{
    private RegistrationTls(X509Certificate2 certificate, TlsClientOptions peerTrust)
    {
        Certificate = certificate;
        PeerTrust = peerTrust;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>How this element checks another element's certificate (the same rules the phone applies).</summary>
    public TlsClientOptions PeerTrust { get; }

    public static RegistrationTls Load(TlsConfig config)
    {
        X509Certificate2 certificate = LoadCertificate(config);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ConfigException("tls.certificate: " + config.Certificate + " has no private key (give tls.key, or a .pfx with the key)");
        }

        X509Certificate2? peerCa = null;
        if (config.PeerCa != null)
        {
            try
            {
                peerCa = X509CertificateLoader.LoadCertificateFromFile(config.PeerCa);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                certificate.Dispose();
                throw new ConfigException("tls.peerCa: cannot read a certificate from " + config.PeerCa + ": " + e.Message);
            }
        }

        return new RegistrationTls(certificate, new TlsClientOptions { TrustedCa = peerCa });
    }

    public SslServerAuthenticationOptions ServerOptions() => new() { ServerCertificate = Certificate, ClientCertificateRequired = false };

    public void Dispose()
    {
        Certificate.Dispose();
        PeerTrust.TrustedCa?.Dispose();
    }

    private static X509Certificate2 LoadCertificate(TlsConfig config)
    {
        try
        {
            if (config.Key != null)
            {
                using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(config.Certificate, config.Key);
                // An ephemeral PEM key is exported and re-imported so the TLS stack can use it on every platform.
                return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }

            string extension = Path.GetExtension(config.Certificate).ToLowerInvariant();
            if (extension != ".pfx" && extension != ".p12")
            {
                throw new ConfigException("tls.key is missing: a PEM certificate (" + config.Certificate + ") needs its key file; or give a .pfx/.p12");
            }

            return X509CertificateLoader.LoadPkcs12FromFile(config.Certificate, config.Password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ConfigException("tls.certificate: cannot load " + config.Certificate + (config.Key != null ? " with key " + config.Key : string.Empty) + ": " + e.Message);
        }
    }
}
