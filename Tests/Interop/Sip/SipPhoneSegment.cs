using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// The `phone` program in SIP mode on a real segment, shared by the phone-process tests against
/// Kamailio and SIPp: a namespace pair, dnsmasq leasing with option 125 (`sw_tftp` and
/// `call_srv` the server), tftpd-hpa serving startup.cfg (the registrar at the server's address)
/// and &lt;MAC&gt;.cfg (the test's lines), and a capture of the SIP ports on the phone's veth.
/// The registrar itself is the test's (Kamailio or SIPp in <see cref="Pair"/>'s server namespace).
/// Dispose stops everything, the namespaces last.
/// </summary>
public sealed class SipPhoneSegment : IDisposable
{
    public const string Mac = "00:08:5d:51:90:01";
    public const string MacFile = "00085D519001.cfg";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly BackgroundProcess _dhcp;
    private readonly BackgroundProcess _tftp;

    /// <param name="label">The namespaces' label (pf-LABEL-*).</param>
    /// <param name="startupLines">Lines after startup.cfg's registrar address and port.</param>
    /// <param name="macFile">&lt;MAC&gt;.cfg: the line's account.</param>
    /// <param name="sipPorts">The ports the capture keeps (the registrar's; the phone's own is 5060).</param>
    public SipPhoneSegment(string label, TestDirectory directory, string startupLines, string macFile, params int[] sipPorts)
    {
        Directory = directory;
        Pair = new NetworkNamespacePair(label);
        try
        {
            string root = Path.Combine(directory.Path, "tftp");
            System.IO.Directory.CreateDirectory(root);
            File.WriteAllText(Path.Combine(root, "startup.cfg"), "# lab startup.cfg\nsip registrar ip: " + Server + "\nsip registrar port: " + sipPorts[0] + "\n" + startupLines);
            File.WriteAllText(Path.Combine(root, MacFile), macFile);
            Wire = new SipWire(Pair, directory.Path, sipPorts);
            _dhcp = StartDnsmasq();
            _tftp = Pair.Start(Pair.ServerNamespace, Peer.Require("/usr/sbin/in.tftpd"), "--foreground --listen --address " + Server + ":69 --user root --secure " + root, directory.Path);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public NetworkNamespacePair Pair { get; }

    public TestDirectory Directory { get; }

    /// <summary>The server namespace's address: DHCP, TFTP and the registrar.</summary>
    public string Server => Pair.ServerAddress;

    public SipWire Wire { get; } = null!;

    /// <summary>Starts `phone --protocol sip` on the phone's veth with its flash in the test directory; <paramref name="more"/> adds flags.</summary>
    public BackgroundProcess StartPhone(string transport, string more)
    {
        return Pair.Start(Pair.ClientNamespace, "dotnet", PhoneArguments(transport, more), Directory.Path);
    }

    /// <summary>
    /// As <see cref="StartPhone"/>, with the TLS secrets written to <paramref name="keyLog"/>
    /// (SSLKEYLOGFILE; .NET asks for the System.Net.EnableSslKeyLogging switch too, set in a copy
    /// of phone.runtimeconfig.json), so tshark can show the SIP inside TLS.
    /// </summary>
    public BackgroundProcess StartPhoneWritingTlsKeys(string transport, string more, string keyLog)
    {
        string built = Path.Combine(Path.GetDirectoryName(BuiltPrograms.Phone)!, "phone.runtimeconfig.json");
        JsonNode config = JsonNode.Parse(File.ReadAllText(built))!;
        config["runtimeOptions"]!["configProperties"]!["System.Net.EnableSslKeyLogging"] = true;
        string copy = Directory.File("phone-keylog.runtimeconfig.json");
        File.WriteAllText(copy, config.ToJsonString());
        return Pair.Start(Pair.ClientNamespace, "/usr/bin/env", "SSLKEYLOGFILE=" + keyLog + " dotnet exec --runtimeconfig " + copy + " " + PhoneArguments(transport, more), Directory.Path);
    }

    /// <summary>
    /// Stops the capture and checks it against what the phones said (their --events json): every
    /// message SIP and none malformed (<see cref="SipWire"/>), every REGISTER answered by one
    /// final response, as many 200s as the phones counted registrations, refreshes and removals,
    /// as many 3xx as redirects. Returns the frames.
    /// </summary>
    public List<SipWireFrame> CheckWire(params BackgroundProcess[] phones)
    {
        return CheckFrames(Wire.StopAndDecode(), phones);
    }

    /// <summary>As <see cref="CheckWire"/>, for frames already decoded (SIP inside TLS: <see cref="SipWire.StopAndDecodeTls"/>).</summary>
    public List<SipWireFrame> CheckFrames(List<SipWireFrame> frames, params BackgroundProcess[] phones)
    {
        int requests = 0;
        int finals = 0;
        int oks = 0;
        int redirects = 0;
        List<string> lines = new();
        foreach (SipWireFrame frame in frames)
        {
            foreach (string line in frame.FirstLines)
            {
                lines.Add(frame.Seconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " " + frame.Source + " > " + frame.Destination + " " + line);
                requests += line.StartsWith("REGISTER ", StringComparison.Ordinal) ? 1 : 0;
                bool final = line.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && line[8] != '1';
                finals += final ? 1 : 0;
                oks += line.StartsWith("SIP/2.0 200", StringComparison.Ordinal) ? 1 : 0;
                redirects += line.StartsWith("SIP/2.0 3", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        int registrations = 0;
        int redirected = 0;
        string said = string.Empty;
        foreach (BackgroundProcess phone in phones)
        {
            said += phone.Output + "\n";
            foreach (JsonElement e in JsonEvents.Parse(phone.Output))
            {
                string name = e.GetProperty("event").GetString()!;
                bool removed = name == "sip.unregistered" && e.GetProperty("status").GetInt32() == 200;
                registrations += name == "registered" || name == "sip.refresh" || removed ? 1 : 0;
                redirected += name == "redirect" || name == "redirect.limit" ? 1 : 0;
            }
        }

        string story = "wire:\n" + string.Join("\n", lines) + "\nphones:\n" + said;
        Assert.IsTrue(requests > 0, story);
        Assert.AreEqual(requests, finals, "a REGISTER without its one final response: " + story);
        Assert.AreEqual(registrations, oks, "200s on the wire against the phones' registered/sip.refresh/sip.unregistered: " + story);
        Assert.AreEqual(redirected, redirects, "3xx on the wire against the phones' redirect/redirect.limit: " + story);
        return frames;
    }

    /// <summary>The phone's output and the peers' for an assertion message.</summary>
    public string Story(BackgroundProcess phone, string more)
    {
        return "phone:\n" + phone.Output + "\n" + more + "\ndnsmasq:\n" + _dhcp?.Output + "\ntftpd:\n" + _tftp?.Output;
    }

    private string PhoneArguments(string transport, string more)
    {
        return BuiltPrograms.Phone + " --iface " + Pair.ClientInterface + " --protocol sip --transport " + transport
            + " --events json --mac " + Mac + " --flash " + Directory.File("phone.flash") + " --seed 5 " + more;
    }

    public void Dispose()
    {
        Wire?.Dispose();
        _tftp?.Dispose();
        _dhcp?.Dispose();
        Pair.Dispose();
    }

    private BackgroundProcess StartDnsmasq()
    {
        string conf = Directory.File("dnsmasq.conf");
        File.WriteAllText(conf, string.Join("\n", new[]
        {
            "port=0",
            "interface=" + Pair.ServerInterface,
            "bind-interfaces",
            "no-ping",
            "log-dhcp",
            "pid-file=",
            "dhcp-leasefile=" + Directory.File("dnsmasq.leases"),
            $"dhcp-range={Pair.Address(50)},{Pair.Address(99)},255.255.255.0,1h",
            $"dhcp-option=vi-encap:1027,1,\"id:ipphone.mitel.com;sw_tftp={Server};call_srv={Server}\"",
            string.Empty,
        }));
        BackgroundProcess process = Pair.Start(Pair.ServerNamespace, Peer.Require("/usr/sbin/dnsmasq"), "--no-daemon --conf-file=" + conf, Directory.Path);
        Assert.IsTrue(process.WaitForLine("sockets bound exclusively", StartTimeout), "dnsmasq did not start:\n" + process.Output);
        return process;
    }
}
