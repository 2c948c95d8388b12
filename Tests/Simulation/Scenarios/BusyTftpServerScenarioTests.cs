using PhoneFirmware.Core.Events;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// Issue 13, the cold boot storm: a phone whose TFTP server is busy (its request answered ERROR 0
/// or left unanswered in the server's queue) waits for it, saying so, instead of resetting after
/// 31 s; a server that stays silent is still given up, with its reason. And the phone asks for
/// RFC 7440's windowsize.
/// </summary>
[TestClass]
public sealed class BusyTftpServerScenarioTests
{
    [TestMethod]
    public void APhoneWaitsForABusyServerPastTheOld31SecondsAndRegistersWithoutAReset()
    {
        using BenchElement bench = new(41, NetworkConditions.Perfect);
        bench.Controller.TftpBusyAnswers = 8; // requests at 0, 1, 3, 7, 15, 23, 31, 39 s: "busy" for 39 s
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);

        Assert.AreEqual(0, bench.Controller.TftpBusyAnswers, "every busy answer was given");
        Assert.IsFalse(phone.Events.Exists(e => e.Name == EventNames.Reset), "the phone reset: " + BenchElement.Trail(phone));
        Assert.IsFalse(phone.HasEvent(EventNames.TftpFailed), BenchElement.Trail(phone));
        Assert.AreEqual(1, phone.Count(EventNames.TftpWaiting), "tftp.waiting is reported once per transfer");
        PhoneEvent waiting = phone.Last(EventNames.TftpWaiting)!;
        Assert.AreEqual("boot.manifest", waiting.Find("file"));
        StringAssert.Contains((string)waiting.Find("reason")!, "server busy, try again");
        Assert.IsTrue(phone.Events.Exists(e => e.Name == EventNames.Display && (string?)e.Find("text") == "Waiting for server"), "the display never said it was waiting");
    }

    [TestMethod]
    public void ASilentServerIsGivenUpWhenThePatienceEndsWithItsReasonAndThePhoneResets()
    {
        using BenchElement bench = new(42, NetworkConditions.Perfect);
        bench.Controller.TftpSilent = true;
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.TftpServerPatienceMilliseconds = 60_000;
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.TftpFailed, 120_000);

        PhoneEvent waiting = phone.Last(EventNames.TftpWaiting)!;
        Assert.IsNotNull(waiting, BenchElement.Trail(phone));
        Assert.AreEqual("no answer", waiting.Find("reason"));
        StringAssert.Contains((string)phone.Last(EventNames.TftpFailed)!.Find("reason")!, "server silent for 60 s");
        bench.RunUntil(phone, EventNames.Reset, 10_000);
        StringAssert.Contains((string)phone.Last(EventNames.Reset)!.Find("reason")!, "every TFTP server failed for boot.img");
    }

    [TestMethod]
    public void ThePhoneAsksForAWindowOf4AndTheServerSendsFourBlocksPerAck()
    {
        using BenchElement bench = new(43, NetworkConditions.Perfect);
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);

        CollectionAssert.AreEqual(new[] { 4 }, bench.Controller.TransferWindowSizes, "the image (this server has no manifest) at window 4");
    }
}
