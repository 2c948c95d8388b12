using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using PhoneFirmware.Core.Events;
using Tests.Integration;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Registration;

/// <summary>
/// tshark on loopback while a phone registers over TLS: the capture holds a TLS handshake and
/// TLS application data, and none of our plaintext frames (the PIN, the display name).
/// </summary>
[TestClass]
public sealed class TlsCaptureTests
{
    private const string TsharkPath = "/usr/bin/tshark";

    [TestMethod]
    public async Task ARegistrationOverTlsIsTlsOnTheWireWithNoPlaintextFrames()
    {
        string tshark = Peer.Require(TsharkPath);
        using TestDirectory directory = new("tls-capture");
        TestCertificates certificates = new(directory.Path);
        string file = directory.File("tls.pcapng");
        string config = $$"""
            {
              "element": { "name": "tls-capture", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "127.0.0.1",
              "ports": { "dhcp": 0, "tftp": 0, "registration": 0 },
              "database": "element.db",
              "tftp": { "root": "boot" },
              "telephoneDirectory": [ { "number": "1000", "name": "Bench set 1000" } ],
              "tls": { "certificate": "{{certificates.ServerPem}}", "key": "{{certificates.ServerKey}}" }
            }
            """;
        await using LoopbackBench bench = new(config);
        int port = bench.Element.RegistrationPort;
        using (TsharkCapture capture = new(tshark, port, file))
        {
            bench.Boot("00:08:5d:00:10:00", "***1000", EventNames.Registered, "--tls", "--ca", certificates.CaPem);
            capture.Stop();
        }

        string decodeAs = "tcp.port==" + port + ",tls";
        string hello = Tshark(tshark, "-r", file, "-d", decodeAs, "-Y", "tls.handshake.type == 1", "-T", "fields", "-e", "frame.number");
        Assert.IsTrue(hello.Trim().Length > 0, "no TLS ClientHello in the capture");
        string records = Tshark(tshark, "-r", file, "-d", decodeAs, "-Y", "tls.record.content_type == 23 || tls.record.opaque_type == 23", "-T", "fields", "-e", "frame.number");
        Assert.IsTrue(records.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 4, "Register, PinRequest, PinEntry and Registered travel as TLS application data:\n" + records);

        string raw = Encoding.Latin1.GetString(File.ReadAllBytes(file));
        Assert.IsFalse(raw.Contains("***1000", StringComparison.Ordinal), "the PIN is on the wire in plaintext");
        Assert.IsFalse(raw.Contains("Bench set 1000", StringComparison.Ordinal), "the display name is on the wire in plaintext");
    }

    // tshark's stdout alone (its stderr has notes about running as root).
    private static string Tshark(string tshark, params string[] args)
    {
        ProcessStartInfo start = new(tshark) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + tshark);
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(60_000), "tshark did not finish");
        Assert.AreEqual(0, process.ExitCode, "tshark " + string.Join(' ', args) + ":\n" + error.Result);
        return output;
    }
}
