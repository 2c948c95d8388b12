using System;
using System.IO;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// The `phone` program in SIP mode on a real segment (namespaces tagged `sipphone`): DHCP from
/// dnsmasq (option 125 naming the TFTP server), startup.cfg and &lt;MAC&gt;.cfg from tftpd-hpa,
/// REGISTER with digest at Kamailio (tools/kamailio) over UDP or TCP, a refresh past one expiry,
/// `kamcmd ul.dump` showing the binding; then a power-up with '*' held removes it (Expires: 0)
/// and prompts for the number.
/// </summary>
[TestClass]
public sealed class SipPhoneAgainstKamailioTests
{
    private const string Mac = "00:08:5d:51:90:01";
    private const string MacFile = "00085D519001.cfg";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PhoneTimeout = TimeSpan.FromSeconds(40);

    [TestMethod]
    [DataRow("udp")]
    [DataRow("tcp")]
    public void RegistersRefreshesAndAStarResetRemovesTheBinding(string transport)
    {
        using TestDirectory directory = new("sipphone-" + transport);
        using NetworkNamespacePair pair = new("sipphone");
        string server = pair.ServerAddress;
        string tftpRoot = Path.Combine(directory.Path, "tftp");
        Directory.CreateDirectory(tftpRoot);
        File.WriteAllText(Path.Combine(tftpRoot, "startup.cfg"), "# lab startup.cfg\nsip registrar ip: " + server + "\nsip registrar port: 5060\nno colon here\n");
        File.WriteAllText(Path.Combine(tftpRoot, MacFile), "sip line1 user name: 1001\nsip line1 password: 1234\nsip line1 display name: Front Desk\nsip line1 registration period: 10\n");

        using BackgroundProcess dhcp = StartDnsmasq(pair, directory, server);
        using BackgroundProcess tftp = pair.Start(pair.ServerNamespace, Peer.Require("/usr/sbin/in.tftpd"), "--foreground --listen --address " + server + ":69 --user root --secure " + tftpRoot, directory.Path);
        using KamailioProcess kamailio = new(directory.Path, 5060, pair, server);

        string phone = BuiltPrograms.Phone + " --iface " + pair.ClientInterface + " --protocol sip --transport " + transport
            + " --events json --mac " + Mac + " --flash " + directory.File("phone.flash") + " --seed 5";
        using (BackgroundProcess first = pair.Start(pair.ClientNamespace, "dotnet", phone + " --exit-after sip.unregistered --timeout 40", directory.Path))
        {
            // A refresh comes at half of the 10 s granted: past one expiry of the first grant's refresh time.
            Assert.IsTrue(first.WaitForLine("\"sip.refresh\"", PhoneTimeout), Story(first, dhcp, tftp, kamailio));
            string output = first.Output;
            StringAssert.Contains(output, "\"sip.config\"", Story(first, dhcp, tftp, kamailio));
            StringAssert.Contains(output, "\"malformedLines\":1", "startup.cfg's line without a colon is counted");
            StringAssert.Contains(output, "\"sip.challenge\"");
            StringAssert.Contains(output, "\"registered\"");
            Assert.IsFalse(output.Contains("\"pin.prompt\"", StringComparison.Ordinal), "the files held the credentials:\n" + output);

            // While the phone runs: its binding is in the location table, over the transport it used.
            string bound = kamailio.LocationTable();
            StringAssert.Contains(bound, "AoR: 1001", "ul.dump has no binding for 1001:\n" + bound);
            StringAssert.Contains(bound, "Socket: " + transport + ":", bound);
        }

        // The killed phone's binding lives on at the registrar until it expires: the '*' boot must remove it.
        StringAssert.Contains(kamailio.LocationTable(), "AoR: 1001");
        using BackgroundProcess reset = pair.Start(pair.ClientNamespace, "dotnet", phone + " --hold-star --exit-after pin.prompt --timeout 30", directory.Path);
        Assert.IsTrue(reset.WaitForLine("\"pin.prompt\"", PhoneTimeout), Story(reset, dhcp, tftp, kamailio));
        string resetOutput = reset.Output;
        int unregistered = resetOutput.IndexOf("\"sip.unregistered\"", StringComparison.Ordinal);
        int cleared = resetOutput.IndexOf("\"pin.cleared\"", StringComparison.Ordinal);
        Assert.IsTrue(unregistered >= 0 && cleared > unregistered, "the binding was not removed before the clear:\n" + resetOutput);
        StringAssert.Contains(resetOutput.Substring(unregistered, 80), "\"status\":200", resetOutput);
        string after = kamailio.LocationTable();
        Assert.IsFalse(after.Contains("AoR: 1001", StringComparison.Ordinal), "the binding is still in ul.dump:\n" + after);
    }

    [TestMethod]
    public void A302FromTheFirstElementReHomesThePhoneAtTheSecondWithoutAPrompt()
    {
        using TestDirectory directory = new("sipphone-302");
        using NetworkNamespacePair pair = new("sipphone");
        string server = pair.ServerAddress;
        string tftpRoot = TftpRoot(directory, server, "sip line1 user name: 2001\nsip line1 password: 3456\nsip line1 registration period: 60\n");
        using BackgroundProcess dhcp = StartDnsmasq(pair, directory, server);
        using BackgroundProcess tftp = StartTftpd(pair, directory, server, tftpRoot);
        using KamailioProcess a = new(directory.Path, 5060, pair, server, "^(2|9)", "sip:" + server + ":5070");
        using KamailioProcess b = new(directory.Path, 5070, pair, server, "^(1|9)", "sip:" + server + ":5060");

        using BackgroundProcess phone = pair.Start(pair.ClientNamespace, "dotnet", PhoneArguments(pair, directory, "udp") + " --exit-after registered --timeout 30", directory.Path);
        Assert.IsTrue(phone.WaitForLine("\"registered\"", PhoneTimeout), Story(phone, dhcp, tftp, a));
        string output = phone.Output;
        StringAssert.Contains(output, "\"redirect\"", output);
        StringAssert.Contains(output, "\"target\":\"" + server + ":5070\"", output);
        StringAssert.Contains(output.Substring(output.IndexOf("\"registered\"", StringComparison.Ordinal)), "\"controller\":\"" + server + ":5070\"", output);
        Assert.IsFalse(output.Contains("\"pin.prompt\"", StringComparison.Ordinal), "a redirect must not prompt:\n" + output);
        StringAssert.Contains(b.LocationTable(), "AoR: 2001");
        Assert.IsFalse(a.LocationTable().Contains("AoR: 2001", StringComparison.Ordinal), a.LocationTable());
    }

    [TestMethod]
    public void RefusedCredentialsClearThePasswordAndPromptForItNamingTheRegistrar()
    {
        using TestDirectory directory = new("sipphone-refused");
        using NetworkNamespacePair pair = new("sipphone");
        string server = pair.ServerAddress;
        string tftpRoot = TftpRoot(directory, server, "sip line1 user name: 1001\nsip line1 password: 9999\n");
        using BackgroundProcess dhcp = StartDnsmasq(pair, directory, server);
        using BackgroundProcess tftp = StartTftpd(pair, directory, server, tftpRoot);
        using KamailioProcess kamailio = new(directory.Path, 5060, pair, server);

        using BackgroundProcess phone = pair.Start(pair.ClientNamespace, "dotnet", PhoneArguments(pair, directory, "udp") + " --exit-after pin.prompt --timeout 30", directory.Path);
        Assert.IsTrue(phone.WaitForLine("\"pin.prompt\"", PhoneTimeout), Story(phone, dhcp, tftp, kamailio));
        string output = phone.Output;
        int cleared = output.IndexOf("\"pin.cleared\"", StringComparison.Ordinal);
        int prompt = output.IndexOf("\"pin.prompt\"", StringComparison.Ordinal);
        Assert.IsTrue(cleared >= 0 && prompt > cleared, "no clear before the prompt:\n" + output);
        StringAssert.Contains(output.Substring(cleared, prompt - cleared), "credentials-refused", output);
        StringAssert.Contains(output.Substring(cleared, prompt - cleared), "\"kept\":\"1001\"", output);
        StringAssert.Contains(output.Substring(prompt), "\"entry\":\"password\"", output);
        StringAssert.Contains(output.Substring(prompt), "Refused " + server, output);
        Assert.IsFalse(output.Contains("\"registered\"", StringComparison.Ordinal), output);
    }

    private static string TftpRoot(TestDirectory directory, string server, string macFile)
    {
        string root = Path.Combine(directory.Path, "tftp");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "startup.cfg"), "sip registrar ip: " + server + "\nsip registrar port: 5060\n");
        File.WriteAllText(Path.Combine(root, MacFile), macFile);
        return root;
    }

    private static BackgroundProcess StartTftpd(NetworkNamespacePair pair, TestDirectory directory, string server, string root)
    {
        return pair.Start(pair.ServerNamespace, Peer.Require("/usr/sbin/in.tftpd"), "--foreground --listen --address " + server + ":69 --user root --secure " + root, directory.Path);
    }

    private static string PhoneArguments(NetworkNamespacePair pair, TestDirectory directory, string transport)
    {
        return BuiltPrograms.Phone + " --iface " + pair.ClientInterface + " --protocol sip --transport " + transport
            + " --events json --mac " + Mac + " --flash " + directory.File("phone.flash") + " --seed 5";
    }

    private static BackgroundProcess StartDnsmasq(NetworkNamespacePair pair, TestDirectory directory, string server)
    {
        string conf = directory.File("dnsmasq.conf");
        File.WriteAllText(conf, string.Join("\n", new[]
        {
            "port=0",
            "interface=" + pair.ServerInterface,
            "bind-interfaces",
            "no-ping",
            "log-dhcp",
            "pid-file=",
            "dhcp-leasefile=" + directory.File("dnsmasq.leases"),
            $"dhcp-range={pair.Address(50)},{pair.Address(99)},255.255.255.0,1h",
            $"dhcp-option=vi-encap:1027,1,\"id:ipphone.mitel.com;sw_tftp={server};call_srv={server}\"",
            string.Empty,
        }));
        BackgroundProcess process = pair.Start(pair.ServerNamespace, Peer.Require("/usr/sbin/dnsmasq"), "--no-daemon --conf-file=" + conf, directory.Path);
        Assert.IsTrue(process.WaitForLine("sockets bound exclusively", StartTimeout), "dnsmasq did not start:\n" + process.Output);
        return process;
    }

    private static string Story(BackgroundProcess phone, BackgroundProcess dhcp, BackgroundProcess tftp, KamailioProcess kamailio)
    {
        return "phone:\n" + phone.Output + "\ndnsmasq:\n" + dhcp.Output + "\ntftpd:\n" + tftp.Output + "\nkamailio:\n" + kamailio.Output;
    }
}
