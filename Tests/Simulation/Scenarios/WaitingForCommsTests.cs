using Hal;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Registration;
using Protocol.Registration;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// The step between the element's acknowledgement and service (docs/registration-protocol.md,
/// "Registered"): the set shows `Waiting for COMMS...` until a frame comes back after the
/// Registered frame; none within CallServerTimeoutMilliseconds fails the element (`no-comms`).
/// The element is a scripted one the phone is redirected to, acknowledging and then answering
/// nothing, keepalives included.
/// </summary>
[TestClass]
public sealed class WaitingForCommsTests
{
    private const uint AddressSilent = 0x0A4D0003;
    private const string SilentTarget = "10.77.0.3:6800";

    [TestMethod]
    public void AnElementSilentAfterRegisteredFailsAsNoCommsAtTheCallServerTimeout()
    {
        using ClusterBench cluster = new(61, NetworkConditions.Hostile(0.05));
        SimPhone phone = RegisteredAtASilentElement(cluster, out ScriptedCallServer _);
        BenchRegistrationClient client = (BenchRegistrationClient)phone.Core.Registration;
        long timeout = phone.Settings.CallServerTimeoutMilliseconds;

        cluster.Runner.RunFor(timeout - 500);
        Assert.AreEqual(BenchRegistrationState.WaitingForComms, client.State, "nothing came back yet: " + BenchElement.Trail(phone));
        Assert.AreEqual("Waiting for COMMS...", phone.Core.Screen.Line(0));
        Assert.AreEqual(SilentTarget, phone.Core.Screen.Line(1));
        Assert.IsFalse(phone.HasEvent(EventNames.InService), "in service without a frame after Registered");

        cluster.RunUntil(phone, EventNames.CallServerUnreachable, 1000);
        PhoneEvent failed = phone.Last(EventNames.CallServerUnreachable)!;
        Assert.AreEqual("no-comms", failed.Find("reason"), BenchElement.Trail(phone));
        Assert.AreEqual(SilentTarget, failed.Find("controller"));
        Assert.AreNotEqual(BenchRegistrationState.WaitingForComms, client.State);
        Assert.AreEqual(string.Empty, client.Dn, "a failed element leaves no DN");
        Assert.IsFalse(phone.HasEvent(EventNames.InService));
    }

    [TestMethod]
    public void TheFirstFrameAfterRegisteredPutsTheSetInService()
    {
        using ClusterBench cluster = new(62, NetworkConditions.Hostile(0.05));
        SimPhone phone = RegisteredAtASilentElement(cluster, out ScriptedCallServer element);
        BenchRegistrationClient client = (BenchRegistrationClient)phone.Core.Registration;

        cluster.Runner.RunFor(1000);
        Assert.AreEqual(BenchRegistrationState.WaitingForComms, client.State, "the Registered frame alone is no communication");
        Assert.IsFalse(phone.HasEvent(EventNames.InService));

        element.Push(RegistrationMessage.KeepaliveAck(1));
        cluster.RunUntil(phone, EventNames.InService, 2000);
        Assert.AreEqual(BenchRegistrationState.Registered, client.State);
        Assert.AreEqual("DN 3000", phone.Core.Screen.Line(0));
        Assert.AreEqual("Set 3000", phone.Core.Screen.Line(1));
        Assert.IsFalse(phone.HasEvent(EventNames.CallServerUnreachable), BenchElement.Trail(phone));
    }

    // A phone redirected from element A to a scripted element that acknowledges DN 3000 and then
    // says nothing; returned just after `registered`, with this boot's events cleared.
    private static SimPhone RegisteredAtASilentElement(ClusterBench cluster, out ScriptedCallServer element)
    {
        cluster.A.Forms.ClusterDirectory.AddElement(3, "73", false, "10.77.0.3", SimController.RegistrationPort, "element 3");
        cluster.A.Forms.ClusterDirectory.AddRemoteDirectoryNumber("3000", 3);
        element = new ScriptedCallServer(cluster.Runner, "silent", AddressSilent, m => new[] { RegistrationMessage.Registered("3000", "Set 3000", false) });
        element.AnswersKeepalives = false;
        SimPhone phone = cluster.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***3000";
        phone.PowerUp();
        cluster.RunUntil(phone, EventNames.Registered);
        Assert.AreEqual(SilentTarget, phone.Last(EventNames.Registered)!.Find("controller"));
        phone.EventsThisBoot.Clear();
        return phone;
    }
}
