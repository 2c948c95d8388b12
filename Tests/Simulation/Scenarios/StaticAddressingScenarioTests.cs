using PhoneFirmware.Core.Events;
using Protocol.Common;
using Protocol.Dhcp;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// Static addressing (`--no-dhcp`, <c>PhoneSettings.StaticLease</c>): on a network with no DHCP
/// server the phone takes the address and servers it was given, fetches its boot files from that
/// TFTP server and registers at that call server.
/// </summary>
[TestClass]
public sealed class StaticAddressingScenarioTests
{
    private const uint PhoneAddress = 0x0A4D0063; // 10.77.0.99

    [TestMethod]
    public void WithoutADhcpServerAStaticPhoneBootsFromTheServersItWasGivenAndRegisters()
    {
        using BenchElement bench = new(31, NetworkConditions.Hostile(0.10), serveDhcp: false);
        SimPhone phone = bench.AddPhone("static", 7);
        phone.Settings.StaticLease = StaticLease();
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);

        PhoneEvent given = phone.Last(EventNames.StaticAddress)!;
        Assert.IsNotNull(given, BenchElement.Trail(phone));
        Assert.AreEqual("10.77.0.99", given.Find("address"));
        Assert.AreEqual("255.255.255.0", given.Find("subnetMask"));
        Assert.AreEqual(PhoneAddress, phone.Host.Address, "the static address is configured on the interface");
        Assert.AreEqual(Ipv4.Format(BenchElement.ControllerAddress), phone.Last(EventNames.TftpDone)!.Find("server"));
        Assert.AreEqual("1000", phone.Last(EventNames.Registered)!.Find("dn"));
        Assert.IsFalse(phone.HasEvent(EventNames.DhcpBound), BenchElement.Trail(phone));
        Assert.AreEqual(PhoneAddress, phone.Core.Lease!.Address);
    }

    [TestMethod]
    public void AResetBootsAgainOnTheStaticAddressWithoutDhcp()
    {
        using BenchElement bench = new(32, NetworkConditions.Perfect, serveDhcp: false);
        SimPhone phone = bench.AddPhone("static", 8);
        phone.Settings.StaticLease = StaticLease();
        phone.Settings.BootFiles = new[] { "missing.img" };
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Reset);
        Assert.IsNull(phone.Core.Lease, "no address while resetting");
        Assert.AreEqual(1, phone.Count(EventNames.StaticAddress));

        Assert.IsTrue(bench.Runner.RunUntil(() => phone.Count(EventNames.StaticAddress) == 2, 60_000), BenchElement.Trail(phone));
        Assert.AreEqual(PhoneAddress, phone.Host.Address, "configured again after the reset removed it");
        Assert.IsFalse(phone.HasEvent(EventNames.DhcpBound), BenchElement.Trail(phone));
    }

    private static DhcpLease StaticLease()
    {
        ServerEndpoint controller = new() { Host = Ipv4.Format(BenchElement.ControllerAddress), Address = BenchElement.ControllerAddress };
        return new DhcpLease
        {
            Address = PhoneAddress,
            SubnetMask = 0xFFFFFF00,
            LeaseSeconds = uint.MaxValue,
            PhoneConfig = new IpPhoneConfig { CallServers = new[] { controller }, TftpServers = new[] { controller } },
        };
    }
}
