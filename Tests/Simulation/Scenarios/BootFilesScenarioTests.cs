using System;
using System.Security.Cryptography;
using System.Text;
using PhoneFirmware.Core.Events;

namespace Tests.Simulation.Scenarios;

/// <summary>Boot files checked against the controller's manifest, over a lossy simulated network.</summary>
[TestClass]
public sealed class BootFilesScenarioTests
{
    [TestMethod]
    public void EveryFileIsVerifiedAndTheManifestIsFetchedOnce()
    {
        using BenchElement bench = new(21, NetworkConditions.Hostile(0.10));
        byte[] second = new byte[3000];
        new Random(2).NextBytes(second);
        bench.Controller.AddFile("main.img", second);
        bench.Controller.AddFile("boot.manifest", Manifest(("boot.img", bench.BootImage, "v1"), ("main.img", second, "v2")));
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.BootFiles = new[] { "boot.img", "main.img" };
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);

        Assert.AreEqual(1, phone.Count(EventNames.TftpManifest));
        Assert.AreEqual(2, phone.Count(EventNames.TftpDone));
        foreach (PhoneEvent done in phone.EventsThisBoot.FindAll(e => e.Name == EventNames.TftpDone))
        {
            Assert.AreEqual(true, done.Find("verified"), (string)done.Find("file")!);
        }

        Assert.AreEqual("v2", phone.Last(EventNames.TftpDone)!.Find("version"));
    }

    [TestMethod]
    public void AFileThatDoesNotMatchTheManifestFailsAndThePhoneResetsToDhcp()
    {
        using BenchElement bench = new(22, NetworkConditions.Hostile(0.10));
        byte[] other = (byte[])bench.BootImage.Clone();
        other[100] ^= 1;
        bench.Controller.AddFile("boot.manifest", Manifest(("boot.img", other, "v1")));
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Reset);

        StringAssert.Contains((string)phone.Last(EventNames.TftpFailed)!.Find("reason")!, "verification failed");
        StringAssert.Contains((string)phone.Last(EventNames.Reset)!.Find("reason")!, "tftp-failed");
        Assert.IsFalse(phone.HasEvent(EventNames.TftpDone));
        Assert.IsFalse(phone.HasEvent(EventNames.RegisterSent));
    }

    private static byte[] Manifest(params (string Name, byte[] Content, string Version)[] files)
    {
        StringBuilder text = new("# name size sha256 version\n");
        foreach ((string name, byte[] content, string version) in files)
        {
            text.Append(name).Append(' ').Append(content.Length).Append(' ')
                .Append(Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant()).Append(' ').Append(version).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
