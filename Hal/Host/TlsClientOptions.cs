using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Hal.Host;

/// <summary>
/// How the phone's TLS link trusts the call server: the system's trust store, a lab CA, or (for
/// lab use only) any certificate. The certificate must also name the address the phone dials.
/// </summary>
public sealed class TlsClientOptions
{
    /// <summary>A CA to trust besides the system's (e.g. the lab CA that signed the controller's certificate).</summary>
    public X509Certificate2? TrustedCa { get; init; }

    /// <summary>Accept any certificate: encryption without authentication, for the lab only.</summary>
    public bool AcceptAnyCertificate { get; init; }

    /// <summary>Why <paramref name="certificate"/> is refused for <paramref name="host"/>, or null when it is accepted.</summary>
    public string? Refusal(X509Certificate? certificate, SslPolicyErrors errors, string host)
    {
        if (AcceptAnyCertificate)
        {
            return null;
        }

        if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "the server sent no certificate";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return "the certificate does not name " + host + " (" + certificate.Subject + ")";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0)
        {
            return null;
        }

        if (TrustedCa == null)
        {
            return "the certificate (" + certificate.Subject + ", issued by " + certificate.Issuer + ") is not trusted; pass --ca with its CA";
        }

        // Chain to the lab CA alone: the system roots do not take part in this decision.
        using X509Chain chain = new();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(TrustedCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (chain.Build(leaf))
        {
            return null;
        }

        string status = string.Empty;
        foreach (X509ChainStatus element in chain.ChainStatus)
        {
            status += (status.Length > 0 ? ", " : string.Empty) + element.Status;
        }

        return "the certificate (" + certificate.Subject + ", issued by " + certificate.Issuer + ") does not chain to the CA " + TrustedCa.Subject + " (" + status + ")";
    }
}
