using PhoneFirmware.Core.Events;
using Protocol.Dhcp;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// TFTP servers named by FQDN: the phone asks the DNS servers of its lease (option 6) on the
/// simulated network, through the sans-IO resolver, and carries on with the boot.
/// </summary>
[TestClass]
public sealed class DnsScenarioTests
{
    private const uint DnsAddress = 0x0A4D0035; // 10.77.0.53
    private const uint DownDnsAddress = 0x0A4D0036; // 10.77.0.54
    private const uint DhcpAddress = 0x0A4D0002;

    [TestMethod]
    public void ATftpServerNamedByFqdnIsLookedUpAtTheLeaseDnsServerOverALossyNetwork()
    {
        using BenchElement bench = new(41, NetworkConditions.Hostile(0.10), serveDhcp: false);
        SimDnsServer dns = new(bench.Runner, "dns", DnsAddress);
        bench.Runner.Network.AddName("tftp.lab.test", BenchElement.ControllerAddress);
        DhcpServer(bench, new uint[] { DnsAddress }, "tftp.lab.test");
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);

        PhoneEvent done = phone.Last(EventNames.TftpDone)!;
        Assert.AreEqual("10.77.0.1", done.Find("server"), BenchElement.Trail(phone));
        Assert.IsTrue(dns.Queries >= 1);
        Assert.IsFalse(phone.HasEvent(EventNames.TftpFailed), BenchElement.Trail(phone));
    }

    [TestMethod]
    public void ASilentFirstDnsServerIsPassedOverForTheSecond()
    {
        using BenchElement bench = new(42, NetworkConditions.Perfect, serveDhcp: false);
        SimDnsServer down = new(bench.Runner, "dns-down", DownDnsAddress) { Silent = true };
        SimDnsServer dns = new(bench.Runner, "dns", DnsAddress);
        bench.Runner.Network.AddName("TFTP.lab.test", BenchElement.ControllerAddress);
        DhcpServer(bench, new uint[] { DownDnsAddress, DnsAddress }, "tftp.LAB.test");
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.TftpDone);

        Assert.AreEqual(2, down.Queries, "the first server is asked twice before the next one");
        Assert.AreEqual(1, dns.Queries);
        Assert.AreEqual("10.77.0.1", phone.Last(EventNames.TftpDone)!.Find("server"));
    }

    [TestMethod]
    public void ANameNoServerKnowsFailsThatTftpServerAndTheNextOneIsUsed()
    {
        using BenchElement bench = new(43, NetworkConditions.Perfect, serveDhcp: false);
        SimDnsServer dns = new(bench.Runner, "dns", DnsAddress);
        DhcpServer(bench, new uint[] { DnsAddress }, "gone.lab.test,10.77.0.1");
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.TftpDone);

        PhoneEvent failed = phone.Last(EventNames.TftpFailed)!;
        Assert.IsNotNull(failed, BenchElement.Trail(phone));
        Assert.AreEqual("gone.lab.test", failed.Find("server"));
        StringAssert.Contains((string)failed.Find("reason")!, "no such name");
        Assert.AreEqual(1, dns.Queries, "no such name is final: not asked again");
        Assert.AreEqual("10.77.0.1", phone.Last(EventNames.TftpDone)!.Find("server"));
    }

    [TestMethod]
    public void WithoutADnsServerInTheLeaseANamedTftpServerCannotBeUsed()
    {
        using BenchElement bench = new(44, NetworkConditions.Perfect, serveDhcp: false);
        DhcpServer(bench, new uint[0], "tftp.lab.test");
        bench.Runner.Network.AddName("tftp.lab.test", BenchElement.ControllerAddress);
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Reset);

        StringAssert.Contains((string)phone.Last(EventNames.TftpFailed)!.Find("reason")!, "no DNS server");
        StringAssert.Contains((string)phone.Last(EventNames.Reset)!.Find("reason")!, "tftp-failed");
    }

    // The lease comes from a server of the test's own (the element serves no DHCP here), with option 6 as given.
    private static void DhcpServer(BenchElement bench, uint[] dnsServers, string tftp)
    {
        DhcpServerConfig config = new()
        {
            ServerAddress = DhcpAddress,
            PoolStart = 0x0A4D0032,
            PoolEnd = 0x0A4D0063,
            SubnetMask = 0xFFFFFF00,
            DnsServers = dnsServers,
            PhoneConfigString = "id:ipphone.mitel.com;sw_tftp=" + tftp + ";call_srv=10.77.0.1:6800",
        };
        _ = new SimDhcpServer(bench.Runner, "dhcp", config);
    }
}
