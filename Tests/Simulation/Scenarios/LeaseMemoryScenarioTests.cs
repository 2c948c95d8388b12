using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;
using Protocol.Common;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// The lease address in flash (RFC 2131 INIT-REBOOT): after a power cut the phone asks for the
/// address it had; after a clean shutdown, which released it, it does not.
/// </summary>
[TestClass]
public sealed class LeaseMemoryScenarioTests
{
    [TestMethod]
    public void AfterAPowerCutThePhoneAsksForItsAddressByInitReboot()
    {
        using BenchElement bench = new(11, NetworkConditions.Perfect);
        SimPhone phone = bench.AddPhone("phone-1", 0x00);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        PhoneEvent first = phone.Last(EventNames.DhcpBound)!;
        Assert.AreEqual("discover", first.Find("via"));
        string address = (string)first.Find("address")!;
        Assert.AreEqual(address, Ipv4.Format(RememberedAddress(phone)));

        phone.PowerCut();
        bench.Runner.RunFor(2_000);
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.DhcpBound);
        PhoneEvent again = phone.Last(EventNames.DhcpBound)!;
        Assert.AreEqual("init-reboot", again.Find("via"));
        Assert.AreEqual(address, again.Find("address"));
    }

    [TestMethod]
    public void AfterACleanShutdownThePhoneDiscoversAgain()
    {
        using BenchElement bench = new(12, NetworkConditions.Perfect);
        SimPhone phone = bench.AddPhone("phone-1", 0x00);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        Assert.AreNotEqual(0u, RememberedAddress(phone));

        phone.Core.Shutdown(bench.Runner.Now);
        phone.PowerCut();
        Assert.AreEqual(0u, RememberedAddress(phone));
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.DhcpBound);
        Assert.AreEqual("discover", phone.Last(EventNames.DhcpBound)!.Find("via"));
    }

    [TestMethod]
    public void ShutdownClosesTheCallServerLinkBeforeGivingUpTheAddress()
    {
        using BenchElement bench = new(13, NetworkConditions.Perfect);
        SimPhone phone = bench.AddPhone("phone-1", 0x00);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);

        phone.Core.Shutdown(bench.Runner.Now);
        Assert.AreEqual(0, phone.Host.StreamsClosedWithoutAddress, "the registration link was closed after the address was removed: its FIN never left");
        Assert.AreEqual(0u, phone.Host.Address);
    }

    private static uint RememberedAddress(SimPhone phone)
    {
        return new LeaseAddressStore(phone.Flash, PhoneFlashLayout.LeaseAddressOffset).Read(out _);
    }
}
