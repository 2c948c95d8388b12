using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// The registration protocol over TLS with real processes: `controller serve` elements with a
/// `tls` section (a lab CA made in the test) and `phone --tls`. Registration, a redirect and RDN
/// synchronisation work over TLS; a phone that does not trust the certificate refuses it with a
/// reason; a plain-TCP phone against a TLS port fails at once instead of hanging.
/// </summary>
[TestClass]
public class TlsRegistrationTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [TestMethod]
    public void TwoTlsElementsSyncRedirectAndRegisterAPhoneThatTrustsTheLabCa()
    {
        using TestDirectory directory = new("tls-cluster");
        TestCertificates certificates = new(directory.Path);
        int dhcpPort = FreePorts.Udp();
        int portA = FreePorts.Tcp();
        int portB = FreePorts.Tcp();
        WriteElement(directory, "a.json", "A", 1, portA, dhcpPort, FreePorts.Udp(), "1000", 2, portB, """{ "certificate": "element.pem", "key": "element.key", "peerCa": "lab-ca.pem" }""");
        WriteElement(directory, "b.json", "B", 2, portB, 0, 0, "2000", 1, portA, $$"""{ "certificate": "element.pfx", "password": "{{TestCertificates.PfxPassword}}", "peerCa": "lab-ca.pem" }""");
        using BackgroundProcess a = new("dotnet", BuiltPrograms.Controller + " serve --config a.json", directory.Path);
        using BackgroundProcess b = new("dotnet", BuiltPrograms.Controller + " serve --config b.json", directory.Path);
        Assert.IsTrue(a.WaitForLine("option 125", StartTimeout), "A did not start:\n" + a.Output);
        Assert.IsTrue(b.WaitForLine("option 125", StartTimeout), "B did not start:\n" + b.Output);
        StringAssert.Contains(a.Output, "registration 127.0.0.1:" + portA + " (TLS)");

        // A knows DN 2000 only from B's RdnUpdate, which comes over TLS; then the set is redirected to B over TLS.
        Assert.IsTrue(WaitFor(() => Admin(directory, "a.json", "remote list").Contains("2000  2", StringComparison.Ordinal)), "B's DN never reached A:\n" + Admin(directory, "a.json", "remote list") + "\nA:\n" + a.Output + "\nB:\n" + b.Output);
        string phone = Phone(dhcpPort) + " --tls --ca lab-ca.pem --mac 00:08:5d:7c:00:01 --flash p1.flash --exit-after registered --timeout 40";
        (int exit, string output) = ProcessRunner.Run("dotnet", phone + " --pin ***2000", directory.Path, TimeSpan.FromSeconds(90));
        Assert.AreEqual(0, exit, output + "\nA:\n" + a.Output + "\nB:\n" + b.Output);
        List<JsonElement> events = JsonEvents.Parse(output);
        Assert.AreEqual("127.0.0.1:" + portB, JsonEvents.Find(events, "redirect").GetProperty("target").GetString());
        Assert.AreEqual("127.0.0.1:" + portB, JsonEvents.Find(events, "registered").GetProperty("controller").GetString());
        Assert.AreEqual("2000", JsonEvents.Find(events, "registered").GetProperty("dn").GetString());
        Assert.IsFalse(output.Contains("tls.failed", StringComparison.Ordinal), output);

        // Power-cycled: the stored PIN takes it to B again without a prompt.
        (exit, output) = ProcessRunner.Run("dotnet", phone, directory.Path, TimeSpan.FromSeconds(90));
        Assert.AreEqual(0, exit, output);
        events = JsonEvents.Parse(output);
        Assert.IsFalse(events.Exists(e => e.GetProperty("event").GetString() == "pin.prompt"), output);
        Assert.AreEqual("2000", JsonEvents.Find(events, "registered").GetProperty("dn").GetString());
    }

    [TestMethod]
    public void PhonesThatCannotSpeakTlsWithTheElementFailClearlyAndDoNotHang()
    {
        using TestDirectory directory = new("tls-refused");
        TestCertificates certificates = new(directory.Path);
        int dhcpPort = FreePorts.Udp();
        int port = FreePorts.Tcp();
        WriteElement(directory, "a.json", "A", 1, port, dhcpPort, FreePorts.Udp(), "1000", 0, 0, """{ "certificate": "element.pem", "key": "element.key" }""");
        using BackgroundProcess controller = new("dotnet", BuiltPrograms.Controller + " serve --config a.json", directory.Path);
        Assert.IsTrue(controller.WaitForLine("option 125", StartTimeout), "controller did not start:\n" + controller.Output);
        string phone = Phone(dhcpPort) + " --pin ***1000 --timeout 30";

        // A CA that did not sign the controller's certificate: the phone refuses it and says why.
        (int exit, string output) = ProcessRunner.Run("dotnet", phone + " --tls --ca other-ca.pem --mac 00:08:5d:7c:00:02 --flash p2.flash --exit-after tls.failed", directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, output);
        string reason = JsonEvents.Find(JsonEvents.Parse(output), "tls.failed").GetProperty("reason").GetString()!;
        StringAssert.Contains(reason, "does not chain to the CA CN=Some other CA");
        Assert.IsFalse(output.Contains("\"event\":\"registered\"", StringComparison.Ordinal), output);

        // No CA at all: the lab certificate is not in the system's trust store.
        (exit, output) = ProcessRunner.Run("dotnet", phone + " --tls --mac 00:08:5d:7c:00:03 --flash p3.flash --exit-after tls.failed", directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, output);
        StringAssert.Contains(JsonEvents.Find(JsonEvents.Parse(output), "tls.failed").GetProperty("reason").GetString()!, "is not trusted; pass --ca");

        // A plain-TCP phone: the controller drops it at the handshake and logs why; the phone moves on at once.
        DateTime started = DateTime.UtcNow;
        (exit, output) = ProcessRunner.Run("dotnet", phone + " --mac 00:08:5d:7c:00:04 --flash p4.flash --exit-after callserver.unreachable", directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, output);
        Assert.IsTrue(DateTime.UtcNow - started < TimeSpan.FromSeconds(25), "the plain phone should not wait for a timeout");
        Assert.IsTrue(controller.WaitForLine("TLS handshake with 127.0.0.1:", TimeSpan.FromSeconds(10)), controller.Output);

        // --tls-insecure (lab only) encrypts without checking the certificate, and registers.
        (exit, output) = ProcessRunner.Run("dotnet", phone + " --tls --tls-insecure --mac 00:08:5d:7c:00:05 --flash p5.flash --exit-after registered", directory.Path, TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, exit, output);
        Assert.AreEqual("1000", JsonEvents.Find(JsonEvents.Parse(output), "registered").GetProperty("dn").GetString());
    }

    [TestMethod]
    public void BadTlsSettingsAreRefusedWithAMessage()
    {
        using TestDirectory directory = new("tls-bad");
        TestCertificates certificates = new(directory.Path);
        WriteElement(directory, "missing.json", "A", 1, FreePorts.Tcp(), FreePorts.Udp(), FreePorts.Udp(), "1000", 0, 0, """{ "certificate": "nowhere.pem", "key": "element.key" }""");
        (int exit, string output) = ProcessRunner.Run("dotnet", BuiltPrograms.Controller + " serve --config missing.json", directory.Path, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exit, output);
        StringAssert.Contains(output, "tls.certificate: cannot load");
        Assert.IsFalse(File.Exists(directory.File("a.db")), "a bad certificate stops the element before it creates its database");

        WriteElement(directory, "nokey.json", "A", 1, FreePorts.Tcp(), FreePorts.Udp(), FreePorts.Udp(), "1000", 0, 0, """{ "certificate": "element.pem" }""");
        (exit, output) = ProcessRunner.Run("dotnet", BuiltPrograms.Controller + " serve --config nokey.json", directory.Path, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exit, output);
        StringAssert.Contains(output, "tls.key is missing");

        (exit, output) = ProcessRunner.Run("dotnet", BuiltPrograms.Phone + " --ca lab-ca.pem", directory.Path, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exit, output);
        StringAssert.Contains(output, "--ca needs --tls");
        (exit, output) = ProcessRunner.Run("dotnet", BuiltPrograms.Phone + " --tls --ca lab-ca.pem --tls-insecure", directory.Path, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exit, output);
        StringAssert.Contains(output, "contradict");
        (exit, output) = ProcessRunner.Run("dotnet", BuiltPrograms.Phone + " --tls --ca element.key --flash p.flash", directory.Path, TimeSpan.FromSeconds(30));
        Assert.AreEqual(2, exit, output);
        StringAssert.Contains(output, "--ca: cannot read a certificate from element.key");
        Assert.IsFalse(File.Exists(directory.File("p.flash")), "a bad --ca changes nothing");
    }

    private static string Admin(TestDirectory directory, string config, string command)
    {
        return ProcessRunner.Run("dotnet", BuiltPrograms.Controller + " admin --config " + config + " " + command, directory.Path, TimeSpan.FromSeconds(30)).Output;
    }

    private static bool WaitFor(Func<bool> condition)
    {
        DateTime end = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < end)
        {
            if (condition())
            {
                return true;
            }

            System.Threading.Thread.Sleep(250);
        }

        return false;
    }

    private static string Phone(int dhcpPort)
    {
        return BuiltPrograms.Phone + $" --dhcp-server 127.0.0.1:{dhcpPort} --dhcp-client-port 0 --events json";
    }

    // One element; dhcpPort 0 turns DHCP and TFTP off; otherCeid 0 means no other element.
    private static void WriteElement(TestDirectory directory, string file, string name, int ceid, int port, int dhcpPort, int tftpPort, string dn, int otherCeid, int otherPort, string tls)
    {
        Directory.CreateDirectory(directory.File("boot"));
        File.WriteAllBytes(directory.File("boot/boot.img"), new byte[10_000]);
        string servers = dhcpPort != 0 ? string.Empty : """ "dhcp": { "enabled": false }, "tftp": { "enabled": false },""";
        string others = otherCeid == 0 ? string.Empty : $$""" "clusterElements": [ { "ceidIndex": {{otherCeid}}, "ceidDigits": "7{{otherCeid}}", "address": "127.0.0.1", "registrationPort": {{otherPort}} } ],""";
        File.WriteAllText(directory.File(file), $$"""
            {
              "element": { "name": "{{name}}", "ceidIndex": {{ceid}}, "ceidDigits": "7{{ceid}}" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": {{dhcpPort}}, "tftp": {{tftpPort}}, "registration": {{port}} },
              "database": "{{name.ToLowerInvariant()}}.db",
              "admin": { "enabled": true },{{servers}}{{others}}
              "telephoneDirectory": [ { "number": "{{dn}}", "name": "Set {{dn}}" } ],
              "tls": {{tls}}
            }
            """);
    }
}
