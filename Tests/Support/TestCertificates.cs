using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tests.Support;

/// <summary>
/// A throw-away lab PKI made in the test: a CA and a server certificate it signs for 127.0.0.1,
/// written as PEM (certificate + key) and PKCS#12, plus an unrelated CA that trusts nothing of it.
/// </summary>
public sealed class TestCertificates
{
    public const string PfxPassword = "lab-secret";

    public TestCertificates(string directory)
    {
        CaPem = Path.Combine(directory, "lab-ca.pem");
        OtherCaPem = Path.Combine(directory, "other-ca.pem");
        ServerPem = Path.Combine(directory, "element.pem");
        ServerKey = Path.Combine(directory, "element.key");
        ServerPfx = Path.Combine(directory, "element.pfx");

        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ca = NewCa("CN=PhoneFirmware test lab CA", caKey);
        File.WriteAllText(CaPem, ca.ExportCertificatePem());
        using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 other = NewCa("CN=Some other CA", otherKey);
        File.WriteAllText(OtherCaPem, other.ExportCertificatePem());

        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = new("CN=controller 127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        SubjectAlternativeNameBuilder names = new();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        byte[] serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        using X509Certificate2 server = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        File.WriteAllText(ServerPem, server.ExportCertificatePem());
        File.WriteAllText(ServerKey, serverKey.ExportPkcs8PrivateKeyPem());
        using X509Certificate2 withKey = server.CopyWithPrivateKey(serverKey);
        File.WriteAllBytes(ServerPfx, withKey.Export(X509ContentType.Pkcs12, PfxPassword));
    }

    public string CaPem { get; }

    public string OtherCaPem { get; }

    public string ServerPem { get; }

    public string ServerKey { get; }

    public string ServerPfx { get; }

    private static X509Certificate2 NewCa(string subject, ECDsa key)
    {
        CertificateRequest request = new(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
