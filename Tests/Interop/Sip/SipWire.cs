using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// A capture around a SIP test, and the check afterwards: every UDP datagram and every TCP
/// segment with payload on the SIP ports decodes as SIP, and none is malformed. On loopback
/// (tshark on lo) or on the phone's veth in a namespace pair (dumpcap in the phone's namespace).
/// </summary>
public sealed class SipWire : IDisposable
{
    private const string Tshark = "/usr/bin/tshark";
    private const string Dumpcap = "/usr/bin/dumpcap";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TsharkCapture? _loopback;
    private readonly BackgroundProcess? _veth;
    private readonly string _file;
    private readonly int[] _ports;
    private bool _stopped;

    public SipWire(string directory, params int[] ports)
    {
        Peer.Require(Tshark);
        _ports = ports;
        _file = Path.Combine(directory, "sip-" + ports[0] + ".pcapng");
        _loopback = new TsharkCapture(Tshark, CaptureFilter(ports), _file);
    }

    /// <summary>A capture on the phone's end of <paramref name="pair"/>'s veth (the client namespace).</summary>
    public SipWire(NetworkNamespacePair pair, string directory, params int[] ports)
    {
        Peer.Require(Tshark);
        _ports = ports;
        _file = Path.Combine(directory, "sip-" + pair.ClientInterface + ".pcapng");
        _veth = pair.Start(pair.ClientNamespace, Peer.Require(Dumpcap), "-i " + pair.ClientInterface + " -f \"" + CaptureFilter(ports) + "\" -w " + _file, directory);
        Assert.IsTrue(_veth.WaitForLine("File: ", StartTimeout), "dumpcap did not start on " + pair.ClientInterface + ":\n" + _veth.Output);
    }

    /// <summary>Stops the capture and returns the SIP messages it decoded ("frame seconds: first line"); fails on anything not SIP or malformed.</summary>
    public string[] StopAndCheck()
    {
        List<SipWireFrame> frames = StopAndDecode();
        List<string> messages = new();
        foreach (SipWireFrame frame in frames)
        {
            foreach (string line in frame.FirstLines)
            {
                messages.Add(frame.Number + " " + frame.Seconds.ToString("0.000000", CultureInfo.InvariantCulture) + ": " + line);
            }
        }

        return messages.ToArray();
    }

    /// <summary>
    /// Stops the capture and decodes every frame on the SIP ports (payload or not, so a TCP FIN
    /// shows too); fails on a payload that is not SIP or on anything malformed.
    /// </summary>
    public List<SipWireFrame> StopAndDecode()
    {
        List<string> arguments = new();
        string display = string.Empty;
        foreach (int port in _ports)
        {
            arguments.AddRange(new[] { "-d", "udp.port==" + port + ",sip", "-d", "tcp.port==" + port + ",sip" });
            display += (display.Length == 0 ? string.Empty : " || ") + "udp.port==" + port + " || tcp.port==" + port;
        }

        return Decode(arguments, display);
    }

    /// <summary>
    /// As <see cref="StopAndDecode"/> for a TLS port, with the secrets of <paramref name="keyLog"/>
    /// (the phone's SSLKEYLOGFILE): every TLS record decodes, and every one with application data as SIP.
    /// </summary>
    public List<SipWireFrame> StopAndDecodeTls(int tlsPort, string keyLog)
    {
        List<string> arguments = new() { "-o", "tls.keylog_file:" + keyLog, "-o", "sip.tls.port:" + tlsPort, "-d", "tcp.port==" + tlsPort + ",tls" };
        return Decode(arguments, "tcp.port==" + tlsPort);
    }

    private List<SipWireFrame> Decode(List<string> arguments, string display)
    {
        Stop();
        arguments.AddRange(new[] { "-r", _file, "-Y", display, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=;" });
        foreach (string field in new[] { "frame.number", "frame.time_relative", "ip.src", "ip.dst", "frame.protocols", "_ws.malformed", "udp.length", "tcp.len", "tcp.flags.fin", "tcp.reassembled_in", "sip.Request-Line", "sip.Status-Line", "sip.Expires", "tls.record.content_type" })
        {
            arguments.Add("-e");
            arguments.Add(field);
        }

        string output = Run(arguments);
        List<SipWireFrame> frames = new();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('|');
            bool payload = f[6].Length > 0 || (f[7].Length > 0 && f[7] != "0");
            bool sip = f[4].Contains(":sip", StringComparison.Ordinal);
            bool tls = f[4].Contains(":tls", StringComparison.Ordinal);
            bool applicationData = f[13].Split(';').Contains("23");
            Assert.AreEqual(string.Empty, f[5], "malformed: " + line + "\n" + output);
            Assert.IsTrue(!payload || sip || f[9].Length > 0 || (tls && !applicationData), "not decoded as SIP: " + line + "\n" + output);
            List<string> firstLines = new();
            foreach (string text in (f[10] + ";" + f[11]).Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                firstLines.Add(text);
            }

            frames.Add(new SipWireFrame(
                int.Parse(f[0], CultureInfo.InvariantCulture),
                double.Parse(f[1], CultureInfo.InvariantCulture),
                f[2],
                f[3],
                f[8] == "1" || f[8] == "True",
                firstLines.ToArray(),
                f[12]));
        }

        int messages = 0;
        frames.ForEach(frame => messages += frame.FirstLines.Length);
        Assert.IsTrue(messages > 0, "no SIP captured:\n" + output);
        return frames;
    }

    /// <summary>
    /// Stops the capture of a TLS link and returns its TLS record lines; fails on a segment not
    /// decoded as TLS or malformed. SIP inside stays encrypted: Kamailio 5.6's tls module writes no
    /// key log, so tshark has no keys for it.
    /// </summary>
    public string[] StopAndCheckTls(int tlsPort)
    {
        Stop();
        string output = Run(new List<string> { "-d", "tcp.port==" + tlsPort + ",tls", "-r", _file, "-Y", "tcp.port==" + tlsPort + " && tcp.len > 0", "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "frame.protocols", "-e", "_ws.malformed", "-e", "tls.record.content_type" });
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.IsTrue(lines.Length > 0, "nothing captured on TLS port " + tlsPort);
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
        _loopback?.Dispose();
        _veth?.Dispose();
    }

    private static string CaptureFilter(int[] ports)
    {
        string filter = string.Empty;
        foreach (int port in ports)
        {
            filter += (filter.Length == 0 ? string.Empty : " or ") + "udp port " + port + " or tcp port " + port;
        }

        return filter;
    }

    private void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_loopback != null)
        {
            _loopback.Stop();
            return;
        }

        // dumpcap hands packets over in blocks: once its count ("Packets: N") has not moved for a
        // second, everything sent before this call is in; then SIGINT makes it finish the file.
        string count = LastCount();
        DateTime until = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            Thread.Sleep(1000);
            string now = LastCount();
            if (now == count || DateTime.UtcNow > until)
            {
                break;
            }

            count = now;
        }

        _veth!.Signal("INT");
        Assert.IsTrue(_veth.WaitForExit(TimeSpan.FromSeconds(20)), "dumpcap did not stop on SIGINT:\n" + _veth.Output);
        StringAssert.Contains(_veth.Output, "Packets captured", "dumpcap did not finish its capture:\n" + _veth.Output);
    }

    private string LastCount()
    {
        string output = _veth!.Output;
        int at = output.LastIndexOf("Packets: ", StringComparison.Ordinal);
        return at < 0 ? string.Empty : output.Substring(at);
    }

    private static string Run(List<string> arguments)
    {
        ProcessStartInfo start = new(Tshark) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        arguments.ForEach(start.ArgumentList.Add);
        using Process tshark = Process.Start(start)!;
        System.Threading.Tasks.Task<string> errors = tshark.StandardError.ReadToEndAsync();
        string output = tshark.StandardOutput.ReadToEnd();
        Assert.IsTrue(tshark.WaitForExit(60000), "tshark -r did not finish");
        Assert.AreEqual(0, tshark.ExitCode, errors.Result);
        return output;
    }
}
