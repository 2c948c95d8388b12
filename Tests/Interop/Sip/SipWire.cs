using System;
using System.Diagnostics;
using System.IO;
using Tests.Interop.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// tshark on lo around a SIP test, and the check afterwards: every UDP datagram and every TCP
/// segment with payload on the SIP ports decodes as SIP, and none is malformed.
/// </summary>
public sealed class SipWire : IDisposable
{
    private const string Tshark = "/usr/bin/tshark";
    private readonly TsharkCapture _capture;
    private readonly string _file;
    private readonly int[] _ports;

    public SipWire(string directory, params int[] ports)
    {
        Peer.Require(Tshark);
        _ports = ports;
        _file = Path.Combine(directory, "sip-" + ports[0] + ".pcapng");
        string filter = string.Empty;
        foreach (int port in ports)
        {
            filter += (filter.Length == 0 ? string.Empty : " or ") + "udp port " + port + " or tcp port " + port;
        }

        _capture = new TsharkCapture(Tshark, filter, _file);
    }

    /// <summary>Stops the capture and returns the SIP messages it decoded ("frame seconds: first line"); fails on anything not SIP or malformed.</summary>
    public string[] StopAndCheck()
    {
        _capture.Stop();
        string display = string.Empty;
        ProcessStartInfo start = new(Tshark) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (int port in _ports)
        {
            start.ArgumentList.Add("-d");
            start.ArgumentList.Add("udp.port==" + port + ",sip");
            start.ArgumentList.Add("-d");
            start.ArgumentList.Add("tcp.port==" + port + ",sip");
            display += (display.Length == 0 ? string.Empty : " || ") + "udp.port==" + port + " || (tcp.port==" + port + " && tcp.len > 0)";
        }

        foreach (string arg in new[] { "-r", _file, "-Y", display, "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "frame.time_relative", "-e", "frame.protocols", "-e", "_ws.malformed", "-e", "sip.Request-Line", "-e", "sip.Status-Line" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process tshark = Process.Start(start)!;
        string output = tshark.StandardOutput.ReadToEnd();
        string errors = tshark.StandardError.ReadToEnd();
        Assert.IsTrue(tshark.WaitForExit(60000), "tshark -r did not finish");
        Assert.AreEqual(0, tshark.ExitCode, errors);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.IsTrue(lines.Length > 0, "nothing captured:\n" + _capture.Output);
        string[] messages = new string[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            string[] fields = lines[i].Split('|');
            Assert.IsTrue(fields[2].Contains(":sip", StringComparison.Ordinal), "not decoded as SIP: " + lines[i] + "\n" + output);
            Assert.AreEqual(string.Empty, fields[3], "malformed: " + lines[i] + "\n" + output);
            messages[i] = fields[0] + " " + fields[1] + ": " + fields[4] + fields[5];
        }

        return messages;
    }

    /// <summary>
    /// Stops the capture of a TLS link and returns its TLS record lines; fails on a segment not
    /// decoded as TLS or malformed. SIP inside stays encrypted: Kamailio 5.6's tls module writes no
    /// key log, so tshark has no keys for it.
    /// </summary>
    public string[] StopAndCheckTls(int tlsPort)
    {
        _capture.Stop();
        ProcessStartInfo start = new(Tshark) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-d", "tcp.port==" + tlsPort + ",tls", "-r", _file, "-Y", "tcp.port==" + tlsPort + " && tcp.len > 0", "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "frame.protocols", "-e", "_ws.malformed", "-e", "tls.record.content_type" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process tshark = Process.Start(start)!;
        string output = tshark.StandardOutput.ReadToEnd();
        string errors = tshark.StandardError.ReadToEnd();
        Assert.IsTrue(tshark.WaitForExit(60000), "tshark -r did not finish");
        Assert.AreEqual(0, tshark.ExitCode, errors);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.IsTrue(lines.Length > 0, "nothing captured:\n" + _capture.Output);
        foreach (string line in lines)
        {
            string[] fields = line.Split('|');
            Assert.IsTrue(fields[1].Contains(":tls", StringComparison.Ordinal), "not decoded as TLS: " + line + "\n" + output);
            Assert.AreEqual(string.Empty, fields[2], "malformed: " + line + "\n" + output);
        }

        return lines;
    }

    public void Dispose()
    {
        _capture.Dispose();
    }
}
