using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using Protocol.Common;
using Protocol.Dhcp;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// VLAN two-pass on the simulated network: a data-VLAN DHCP server answers untagged with a string
/// naming VLAN 1056; the element (DHCP, TFTP, registration) is reachable only on VLAN 1056.
/// </summary>
[TestClass]
public sealed class VlanTwoPassScenarioTests
{
    private const int VoiceVlan = 1056;
    private const uint DataServer = 0x0A4E0001; // 10.78.0.1

    [TestMethod]
    public void ThePhoneReleasesTheUntaggedLeaseAndRegistersOnTheVlan()
    {
        using BenchElement bench = new(21, NetworkConditions.Hostile(0.05));
        bench.Controller.Host.Vlan = VoiceVlan;
        SimDhcpServer data = DataVlanServer(bench);
        SimPhone phone = bench.AddPhone("phone-1", 0x00);
        phone.Host.CanTag = true;
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);

        PhoneEvent switched = phone.Last(EventNames.DhcpVlan)!;
        Assert.AreEqual(VoiceVlan, switched.Find("vlan"));
        Assert.AreEqual("10.78.0.1", switched.Find("server"));
        PhoneEvent bound = phone.Last(EventNames.DhcpBound)!;
        Assert.AreEqual(VoiceVlan, bound.Find("onVlan"));
        Assert.AreEqual("10.77.0.1", bound.Find("server"));
        Assert.AreEqual(1, phone.Count(EventNames.DhcpBound), BenchElement.Trail(phone));
        Assert.AreEqual(VoiceVlan, phone.Host.Vlan);

        // The data server got the untagged lease back (RELEASE removes the client's record).
        Assert.IsNull(data.Leases.FindByClient("00:08:5d:00:10:00"));
        int vlan;
        uint remembered = new LeaseAddressStore(phone.Flash, PhoneFlashLayout.LeaseAddressOffset).Read(out vlan);
        Assert.AreEqual(bound.Find("address"), Ipv4.Format(remembered));
        Assert.AreEqual(VoiceVlan, vlan);
    }

    [TestMethod]
    public void AfterAPowerCutThePhoneAsksForItsVlanAddressOnTheVlan()
    {
        using BenchElement bench = new(22, NetworkConditions.Perfect);
        bench.Controller.Host.Vlan = VoiceVlan;
        DataVlanServer(bench);
        SimPhone phone = bench.AddPhone("phone-1", 0x00);
        phone.Host.CanTag = true;
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.DhcpBound);
        string address = (string)phone.Last(EventNames.DhcpBound)!.Find("address")!;

        phone.PowerCut();
        Assert.AreEqual(0, phone.Host.Vlan);
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.DhcpBound);
        PhoneEvent again = phone.Last(EventNames.DhcpBound)!;
        Assert.AreEqual("init-reboot", again.Find("via"));
        Assert.AreEqual(address, again.Find("address"));
        Assert.AreEqual(VoiceVlan, again.Find("onVlan"));
    }

    [TestMethod]
    public void ADriverThatCannotTagStaysOnTheUntaggedLease()
    {
        using BenchElement bench = new(23, NetworkConditions.Perfect);
        DataVlanServer(bench);
        bench.Controller.Host.Vlan = VoiceVlan;
        SimPhone phone = bench.AddPhone("phone-1", 0x00);
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.DhcpBound);
        PhoneEvent bound = phone.Last(EventNames.DhcpBound)!;
        Assert.AreEqual(0, bound.Find("onVlan"));
        Assert.AreEqual(VoiceVlan, bound.Find("vlan"));
        Assert.AreEqual("10.78.0.1", bound.Find("server"));
        Assert.IsFalse(phone.HasEvent(EventNames.DhcpVlan));
    }

    private static SimDhcpServer DataVlanServer(BenchElement bench)
    {
        DhcpServerConfig config = new()
        {
            ServerAddress = DataServer,
            PoolStart = 0x0A4E0032,
            PoolEnd = 0x0A4E0063,
            SubnetMask = 0xFFFFFF00,
            PhoneConfigString = "id:ipphone.mitel.com;call_srv=10.78.0.4;vlan=" + VoiceVlan + ";l2p=6",
        };
        return new SimDhcpServer(bench.Runner, "data-dhcp", config);
    }
}
