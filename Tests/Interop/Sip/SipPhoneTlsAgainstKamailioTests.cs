using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// `phone --protocol sip --transport tls --ca CA` on a real segment (<see cref="SipPhoneSegment"/>)
/// against Kamailio's TLS listener (`WITH_TLS`, tools/kamailio/tls.cfg) with a certificate for
/// the server's address from a lab CA made by tools/kamailio/make-tls-cert. With that CA the
/// phone registers with digest and refreshes; with another CA it refuses the certificate
/// (`tls.failed`), sends no SIP, and the display says it found no call server. tshark on the
/// phone's veth decodes the SIP inside TLS with the phone's key log (SSLKEYLOGFILE).
/// </summary>
[TestClass]
public sealed class SipPhoneTlsAgainstKamailioTests
{
    private const int TlsPort = 5061;
    private const string Account = "sip line1 user name: 1001\nsip line1 password: 1234\nsip line1 registration period: 10\n";
    private static readonly TimeSpan PhoneTimeout = TimeSpan.FromSeconds(40);

    [TestMethod]
    public void RegistersAndRefreshesOverTlsTrustingTheLabCa()
    {
        using TestDirectory directory = new("sipphone-tls");
        using SipPhoneSegment segment = new("sipphone", directory, "sip transport protocol: 4\n", Account, TlsPort);
        using KamailioProcess kamailio = new(directory.Path, 5060, segment.Pair, segment.Server, tlsPort: TlsPort);
        string keyLog = directory.File("tls-keys.log");
        using BackgroundProcess phone = segment.StartPhoneWritingTlsKeys("tls", "--ca " + kamailio.CaPem + " --exit-after sip.refresh --timeout 30", keyLog);
        Assert.IsTrue(phone.WaitForExit(PhoneTimeout) && phone.ExitCode == 0, segment.Story(phone, kamailio.Output));

        List<JsonElement> events = JsonEvents.Parse(phone.Output);
        int challenged = events.FindIndex(e => e.GetProperty("event").GetString() == "sip.challenge");
        int registered = events.FindIndex(e => e.GetProperty("event").GetString() == "registered");
        int refreshed = events.FindIndex(e => e.GetProperty("event").GetString() == "sip.refresh");
        Assert.IsTrue(challenged >= 0 && registered > challenged && refreshed > registered, segment.Story(phone, kamailio.Output));
        Assert.AreEqual(segment.Server + ":" + TlsPort, events[registered].GetProperty("controller").GetString());
        Assert.IsFalse(phone.Output.Contains("\"tls.failed\"", StringComparison.Ordinal), phone.Output);

        string table = kamailio.LocationTable();
        StringAssert.Contains(table, "AoR: 1001", table);
        StringAssert.Contains(table, ";transport=tls", table);
        StringAssert.Contains(table, "Socket: tls:" + segment.Server + ":" + TlsPort, table);

        // With the phone's TLS secrets tshark reads the SIP inside: every record well-formed, every one with data SIP.
        Assert.IsTrue(File.Exists(keyLog), "the phone wrote no TLS key log");
        List<SipWireFrame> frames = segment.CheckFrames(segment.Wire.StopAndDecodeTls(TlsPort, keyLog), phone);
        Assert.IsTrue(frames.Exists(f => Array.Exists(f.FirstLines, l => l.StartsWith("REGISTER sip:", StringComparison.Ordinal))), "no REGISTER decoded inside TLS");
    }

    [TestMethod]
    public void ACertificateFromAnotherCaIsRefusedWithTlsFailedAndTheDisplaySaysNoCallServer()
    {
        using TestDirectory directory = new("sipphone-tls-refused");
        TestCertificates other = new(directory.Path);
        using SipPhoneSegment segment = new("sipphone", directory, "sip transport protocol: 4\n", Account, TlsPort);
        using KamailioProcess kamailio = new(directory.Path, 5060, segment.Pair, segment.Server, tlsPort: TlsPort);
        using BackgroundProcess phone = segment.StartPhone("tls", "--ca " + other.OtherCaPem + " --exit-after callserver.backoff --timeout 30");
        Assert.IsTrue(phone.WaitForExit(PhoneTimeout) && phone.ExitCode == 0, segment.Story(phone, kamailio.Output));

        List<JsonElement> events = JsonEvents.Parse(phone.Output);
        int refused = events.FindIndex(e => e.GetProperty("event").GetString() == "tls.failed");
        Assert.IsTrue(refused >= 0, "no tls.failed:\n" + phone.Output);
        StringAssert.Contains(events[refused].GetProperty("reason").GetString(), "does not chain to the CA CN=Some other CA", phone.Output);
        int unreachable = events.FindIndex(refused, e => e.GetProperty("event").GetString() == "callserver.unreachable");
        Assert.IsTrue(unreachable > refused, phone.Output);
        Assert.AreEqual("connection failed", events[unreachable].GetProperty("reason").GetString(), phone.Output);
        int shown = events.FindIndex(unreachable, e => e.GetProperty("event").GetString() == "display" && e.GetProperty("text").GetString() == "No call server");
        Assert.IsTrue(shown > unreachable, "the display does not say it: " + phone.Output);
        Assert.IsFalse(phone.Output.Contains("\"sip.challenge\"", StringComparison.Ordinal), "SIP went out over a refused certificate:\n" + phone.Output);
        Assert.IsFalse(phone.Output.Contains("\"registered\"", StringComparison.Ordinal), phone.Output);
        Assert.IsFalse(kamailio.LocationTable().Contains("AoR: 1001", StringComparison.Ordinal), kamailio.LocationTable());
        segment.Wire.StopAndCheckTls(TlsPort);
    }
}
