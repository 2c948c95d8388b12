using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Dhcp;

/// <summary>
/// `controller serve` in the server namespace, listening on the veth's address, leasing to real
/// DHCP clients (and to our phone) in the client namespace: the DISCOVER arrives as a broadcast,
/// the replies go out as broadcasts, and option 125 carries the element's string.
/// </summary>
[TestClass]
public sealed class ControllerAgainstRealDhcpClientsTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(25);

    [TestMethod]
    public void DhclientLeasesAndItsLeaseFileHoldsTheElementsOption125WhichTsharkDecodesCleanly()
    {
        using TestDirectory directory = new("ctl-dhclient");
        using NetworkNamespacePair pair = new();
        using Controller controller = new(pair, directory);
        string leases = directory.File("dhclient.leases");
        File.WriteAllText(directory.File("dhclient.conf"), "option vivso code 125 = string;\nrequest subnet-mask, routers, vivso;\n");
        File.WriteAllText(leases, string.Empty);
        string capture = directory.File("exchange.pcap");
        string captureLog;
        string clientOutput;
        using (BackgroundProcess tshark = pair.Start(pair.ServerNamespace, Peer.Require("/usr/bin/tshark"), $"-i {pair.ServerInterface} -f \"udp port 67 or udp port 68\" -c 4 -a duration:15 -w {capture}", directory.Path))
        {
            // "Capture started" comes once dumpcap really captures ("Capturing on" comes earlier).
            Assert.IsTrue(tshark.WaitForLine("Capture started", StartTimeout), "tshark did not start:\n" + tshark.Output);

            // -d keeps dhclient in the foreground after it is bound; it is killed when disposed.
            using (BackgroundProcess client = pair.Start(pair.ClientNamespace, Peer.Require("/sbin/dhclient"), $"-1 -d -v -cf {directory.File("dhclient.conf")} -lf {leases} -pf {directory.File("dhclient.pid")} -sf /bin/true {pair.ClientInterface}", directory.Path))
            {
                bool bound = client.WaitForLine("bound to " + pair.Prefix, ClientTimeout);
                clientOutput = client.Output;
                Assert.IsTrue(bound, "dhclient did not bind:\n" + clientOutput + "\ncontroller:\n" + controller.Output);
            }

            WaitForExit(tshark, ClientTimeout);
            captureLog = tshark.Output;
        }

        string lease = File.ReadAllText(leases);
        Match vivso = Regex.Match(lease, @"option vivso ([0-9a-f:]+);");
        Assert.IsTrue(vivso.Success, "no option 125 in the lease:\n" + lease);
        byte[] value = Array.ConvertAll(vivso.Groups[1].Value.Split(':'), part => byte.Parse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.AreEqual(controller.PhoneConfigString, DecodeSubOption1(value), lease);
        StringAssert.Contains(lease, "fixed-address " + pair.Address(50) + ";");
        StringAssert.Contains(lease, "option dhcp-server-identifier " + pair.ServerAddress + ";");

        (int exitCode, string decoded) = ProcessRunner.Run("/usr/bin/tshark", "-r " + capture + " -V", directory.Path, TimeSpan.FromSeconds(20));
        Assert.AreEqual(0, exitCode, decoded + "\ncapture:\n" + captureLog);
        foreach (string type in new[] { "DHCP: Discover (1)", "DHCP: Offer (2)", "DHCP: Request (3)", "DHCP: ACK (5)" })
        {
            StringAssert.Contains(decoded, type, "capture:\n" + captureLog + "\n" + decoded);
        }

        StringAssert.Contains(decoded, "Option: (125) V-I Vendor-specific Information");
        StringAssert.Contains(decoded, "Enterprise: Mitel, Corp. (1027)");
        Assert.IsFalse(decoded.Contains("Malformed", StringComparison.OrdinalIgnoreCase), decoded);
        Assert.IsFalse(decoded.Contains("[Expert Info (Error", StringComparison.Ordinal), decoded);

        // Our replies leave as broadcasts, as RFC 2131 §4.1 asks for a client without an address.
        (exitCode, string fields) = ProcessRunner.Run("/usr/bin/tshark", "-r " + capture + " -Y \"dhcp.option.dhcp == 2 || dhcp.option.dhcp == 5\" -T fields -e ip.src -e ip.dst -e udp.dstport", directory.Path, TimeSpan.FromSeconds(20));
        Assert.AreEqual(0, exitCode, fields);
        string[] replies = Array.FindAll(fields.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), line => line.Contains('\t', StringComparison.Ordinal));
        Assert.AreEqual(2, replies.Length, fields);
        foreach (string reply in replies)
        {
            Assert.AreEqual(pair.ServerAddress + "\t255.255.255.255\t68", reply, fields);
        }
    }

    [TestMethod]
    public void UdhcpcLeasesAndItsScriptSeesTheElementsOption125()
    {
        using TestDirectory directory = new("ctl-udhcpc");
        using NetworkNamespacePair pair = new();
        using Controller controller = new(pair, directory);
        string script = directory.File("record.sh");
        File.WriteAllText(script, "#!/bin/sh\nenv > \"" + directory.Path + "/udhcpc.$1.env\"\n");
        MakeExecutable(script);
        (int exitCode, string output) = pair.Run(pair.ClientNamespace, Peer.Require("/sbin/udhcpc"), $"-i {pair.ClientInterface} -n -q -f -O 125 -s {script}", directory.Path, ClientTimeout);
        string story = "udhcpc (exit " + exitCode + "):\n" + output + "\ncontroller:\n" + controller.Output;
        Assert.AreEqual(0, exitCode, story);
        Dictionary<string, string> environment = ReadEnvironment(directory.File("udhcpc.bound.env"), story);
        Assert.AreEqual(pair.Address(50), environment.GetValueOrDefault("ip"), story);
        Assert.AreEqual(pair.ServerAddress, environment.GetValueOrDefault("serverid"), story);
        Assert.AreEqual("255.255.255.0", environment.GetValueOrDefault("subnet"), story);
        Assert.IsTrue(environment.TryGetValue("opt125", out string? hex), "no opt125: " + story);
        Assert.AreEqual(controller.PhoneConfigString, DecodeSubOption1(Convert.FromHexString(hex)), story);
    }

    [TestMethod]
    public void DhcpcdLeasesAndDecodesOption125ForTheVendor()
    {
        using TestDirectory directory = new("ctl-dhcpcd");
        using NetworkNamespacePair pair = new();
        using Controller controller = new(pair, directory);
        string script = directory.File("record.sh");
        File.WriteAllText(script, "#!/bin/sh\nenv > \"" + directory.Path + "/dhcpcd.$reason.env\"\n");
        MakeExecutable(script);
        // Option 125 with dhcpcd's own decoder for Mitel's enterprise (1027): sub-option 1, a string.
        File.WriteAllText(directory.File("dhcpcd.conf"), "option vivso\nvendopt 1027 encap mitel\nencap 1 string config\n");
        string environmentFile = directory.File("dhcpcd.TEST.env");

        // --test: take the offer, run the script with reason TEST, configure nothing.
        using (BackgroundProcess client = pair.Start(pair.ClientNamespace, Peer.Require("/usr/sbin/dhcpcd"), $"-f {directory.File("dhcpcd.conf")} -4 -1 -T -B -c {script} {pair.ClientInterface}", directory.Path))
        {
            DateTime until = DateTime.UtcNow + ClientTimeout;
            while (!File.Exists(environmentFile) && DateTime.UtcNow < until)
            {
                System.Threading.Thread.Sleep(50);
            }

            System.Threading.Thread.Sleep(200);
            string story = "dhcpcd:\n" + client.Output + "\ncontroller:\n" + controller.Output;
            Dictionary<string, string> environment = ReadEnvironment(environmentFile, story);
            Assert.AreEqual(pair.Address(50), environment.GetValueOrDefault("new_ip_address"), story);
            Assert.AreEqual(pair.ServerAddress, environment.GetValueOrDefault("new_dhcp_server_identifier"), story);
            Assert.AreEqual("1027", environment.GetValueOrDefault("new_vivso_enterprise_number"), story);
            Assert.AreEqual(controller.PhoneConfigString, environment.GetValueOrDefault("new_mitel_config"), "the string dhcpcd decoded from sub-option 1: " + string.Join(" ", environment.Keys) + "\n" + story);
        }
    }

    [TestMethod]
    public void OurPhoneLeasesFromTheControllerOverTheSegment()
    {
        using TestDirectory directory = new("ctl-phone");
        using NetworkNamespacePair pair = new();
        using Controller controller = new(pair, directory);
        string arguments = BuiltPrograms.Phone + " --iface " + pair.ClientInterface + " --events json --exit-after dhcp.bound --timeout 20"
            + " --mac 00:08:5d:c0:ff:01 --flash " + directory.File("phone.flash") + " --seed 3";
        (int exitCode, string output) = pair.Run(pair.ClientNamespace, "dotnet", arguments, directory.Path, ClientTimeout);
        string story = "phone (exit " + exitCode + "):\n" + output + "\ncontroller:\n" + controller.Output;
        Assert.AreEqual(0, exitCode, story);
        string bound = Array.Find(output.Split('\n'), line => line.Contains("\"event\":\"dhcp.bound\"", StringComparison.Ordinal)) ?? string.Empty;
        StringAssert.Contains(bound, "\"address\":\"" + pair.Address(50) + "\"", story);
        StringAssert.Contains(bound, "\"option\":125,\"encoding\":1", story);
        StringAssert.Contains(bound, "\"callServers\":[\"" + pair.ServerAddress + ":6800\"]", story);
        StringAssert.Contains(bound, "\"tftpServers\":[\"" + pair.ServerAddress + ":69\"]", story);
    }

    /// <summary>Enterprise 1027's block, sub-option 1, as text (the controller's default encoding).</summary>
    private static string DecodeSubOption1(byte[] value)
    {
        string bytes = Convert.ToHexString(value);
        Assert.IsTrue(value.Length >= 7, bytes);
        Assert.AreEqual(1027, (value[0] << 24) | (value[1] << 16) | (value[2] << 8) | value[3], bytes);
        Assert.AreEqual(value.Length - 5, value[4], "block length: " + bytes);
        Assert.AreEqual(1, value[5], "sub-option: " + bytes);
        Assert.AreEqual(value.Length - 7, value[6], "sub-option length: " + bytes);
        return Encoding.ASCII.GetString(value, 7, value.Length - 7);
    }

    private static Dictionary<string, string> ReadEnvironment(string path, string story)
    {
        Assert.IsTrue(File.Exists(path), "the client's script did not run: " + path + "\n" + story);
        Dictionary<string, string> environment = new();
        foreach (string line in File.ReadAllLines(path))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                environment[line[..equals]] = line[(equals + 1)..];
            }
        }

        return environment;
    }

    private static void MakeExecutable(string path)
    {
        Assert.IsTrue(OperatingSystem.IsLinux(), "network namespaces are Linux only");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void WaitForExit(BackgroundProcess process, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (!process.HasExited && DateTime.UtcNow < until)
        {
            System.Threading.Thread.Sleep(50);
        }

        Assert.IsTrue(process.HasExited, "did not finish in " + timeout + ":\n" + process.Output);
    }

    /// <summary>`controller serve` in the server namespace on the veth's address, standard ports.</summary>
    private sealed class Controller : IDisposable
    {
        private readonly BackgroundProcess _process;

        public Controller(NetworkNamespacePair pair, TestDirectory directory)
        {
            Directory.CreateDirectory(directory.File("boot"));
            File.WriteAllText(directory.File("element.json"), $$"""
                {
                  "element": { "name": "ns-1", "ceidIndex": 1, "ceidDigits": "1" },
                  "listenAddress": "{{pair.ServerAddress}}",
                  "ports": { "dhcp": 67, "tftp": 69, "registration": 6800 },
                  "database": "element.db",
                  "dhcp": {
                    "poolStart": "{{pair.Address(50)}}", "poolEnd": "{{pair.Address(99)}}",
                    "subnetMask": "255.255.255.0", "router": "{{pair.ServerAddress}}"
                  },
                  "telephoneDirectory": [ { "number": "1000", "name": "Lab set" } ]
                }
                """);
            _process = pair.Start(pair.ServerNamespace, "dotnet", BuiltPrograms.Controller + " serve --config element.json", directory.Path);
            Assert.IsTrue(_process.WaitForLine("option 125 = ", StartTimeout), "controller did not start:\n" + _process.Output);
            PhoneConfigString = Array.Find(Output.Split('\n'), line => line.Contains("option 125 = ", StringComparison.Ordinal))!.Split("option 125 = ")[1].Trim();
            Assert.AreEqual($"id:ipphone.mitel.com;sw_tftp={pair.ServerAddress}:69;call_srv={pair.ServerAddress}:6800", PhoneConfigString);
        }

        public string PhoneConfigString { get; }

        public string Output => _process.Output;

        public void Dispose()
        {
            _process.Dispose();
        }
    }
}
