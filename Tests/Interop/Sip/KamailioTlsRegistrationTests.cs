using System;
using System.Security.Cryptography.X509Certificates;
using Hal.Host;
using Protocol.Sip;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// The registration machine against Kamailio 5.6 over TLS (Debian's kamailio-tls-modules): a lab
/// CA and a certificate for 127.0.0.1 made with openssl by tools/kamailio/make-tls-cert, the line
/// trusting that CA through the host's <see cref="TlsClientOptions"/>. Register with digest,
/// refresh past one expiry, unregister; `kamcmd ul.dump` shows the TLS binding and its removal;
/// tshark sees only well-formed TLS on the link. (A certificate from another CA: the phone
/// process's <see cref="SipPhoneTlsAgainstKamailioTests"/>.)
/// </summary>
[TestClass]
public class KamailioTlsRegistrationTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    [TestMethod]
    public void RegistersRefreshesAndUnregistersOverTls()
    {
        using TestDirectory directory = new("kamailio-sip-tls");
        int port = FreePorts.Udp();
        int tlsPort = FreePorts.Tcp();
        using KamailioProcess kamailio = new(directory.Path, port, tlsPort: tlsPort);
        using SipWire wire = new(directory.Path, tlsPort);
        using X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(kamailio.CaPem!);
        using SipLineDriver line = new(SipTransport.Tls, new[] { new SipServerAddress("127.0.0.1", tlsPort) }, "1001", "1234", 4, tls: new TlsClientOptions { TrustedCa = ca });

        line.Machine.Start(line.Now);
        SipRegistrationEvent registered = line.WaitFor(SipRegistrationEventKind.Registered, 0, Step);
        long registeredAt = line.Now;
        int mark = line.Events.Count;
        Assert.AreEqual(4, registered.Seconds, line.Story);
        Assert.AreEqual(401, line.WaitFor(SipRegistrationEventKind.Challenged, 0, Step).StatusCode);
        string binding = "Address: sip:1001@127.0.0.1:" + line.LocalPort + ";transport=tls";
        string table = kamailio.LocationTable();
        StringAssert.Contains(table, binding);
        StringAssert.Contains(table, "Socket: tls:127.0.0.1:" + tlsPort);

        // Refreshed at half of 4 s: past the first expiry with two refreshes granted, on the same connection.
        line.WaitFor(SipRegistrationEventKind.Refreshed, mark, Step);
        Assert.IsTrue(line.RunUntil(() => line.Now - registeredAt >= 5000, Step));
        int refreshes = 0;
        for (int i = mark; i < line.Events.Count; i++)
        {
            refreshes += line.Events[i].Kind == SipRegistrationEventKind.Refreshed ? 1 : 0;
            Assert.AreNotEqual(SipRegistrationEventKind.ServerFailed, line.Events[i].Kind, line.Story);
        }

        Assert.IsTrue(refreshes >= 2, line.Story);
        StringAssert.Contains(kamailio.LocationTable(), binding);

        mark = line.Events.Count;
        line.Machine.Unregister(line.Now);
        Assert.AreEqual(200, line.WaitFor(SipRegistrationEventKind.Unregistered, mark, Step).StatusCode, line.Story);
        Assert.IsFalse(kamailio.LocationTable().Contains("AoR: 1001", StringComparison.Ordinal), kamailio.LocationTable());
        Assert.AreEqual(0, line.Notes.Count, line.Story);

        string[] records = wire.StopAndCheckTls(tlsPort);
        Assert.IsTrue(records.Length >= 8, string.Join("\n", records));
    }
}
