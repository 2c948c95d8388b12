using System;
using System.Security.Cryptography;
using System.Text;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Storage;

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

    [TestMethod]
    public void TheImageIsWrittenOnceAndNotFetchedAgainWhileItsVersionIsInstalled()
    {
        using BenchElement bench = new(23, NetworkConditions.Hostile(0.10));
        bench.Controller.AddFile("boot.manifest", Manifest(("boot.img", bench.BootImage, "v1")));
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        PhoneEvent done = phone.Last(EventNames.TftpDone)!;
        Assert.AreEqual(true, done.Find("written"));
        AssertInstalled(phone, "v1", 0, bench.BootImage);

        phone.PowerCut();
        int imageWrites = phone.ImageFlash.Writes;
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        Assert.IsFalse(phone.HasEvent(EventNames.TftpDone), BenchElement.Trail(phone));
        PhoneEvent skipped = phone.Last(EventNames.TftpSkipped)!;
        Assert.IsNotNull(skipped, BenchElement.Trail(phone));
        Assert.AreEqual("boot.img", skipped.Find("file"));
        Assert.AreEqual("v1", skipped.Find("version"));
        Assert.AreEqual(imageWrites, phone.ImageFlash.Writes, "the installed image was written again");
    }

    [TestMethod]
    public void ANewVersionGoesToTheOtherHalfAndAPowerCutDuringItsWriteKeepsTheOldOne()
    {
        using BenchElement bench = new(24, NetworkConditions.Hostile(0.10));
        bench.Controller.AddFile("boot.manifest", Manifest(("boot.img", bench.BootImage, "v1")));
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        AssertInstalled(phone, "v1", 0, bench.BootImage);

        byte[] second = new byte[bench.BootImage.Length + 123];
        new Random(24).NextBytes(second);
        bench.Controller.AddFile("boot.img", second);
        bench.Controller.AddFile("boot.manifest", Manifest(("boot.img", second, "v2")));

        // Cut in the middle of the image write: the old image and its record stay installed.
        phone.PowerCut();
        phone.ImageFlash.CutPowerAfter(second.Length / 2);
        phone.PowerUp();
        Assert.IsTrue(bench.Runner.RunUntil(() => !phone.IsPowered, 600_000), BenchElement.Trail(phone));
        Assert.AreEqual(1, phone.PowerCutsDuringFlashWrite);
        AssertInstalled(phone, "v1", 0, bench.BootImage);

        // Cut in the middle of the record write (the image is whole in the other half by then).
        phone.Flash.CutPowerAfter(ImageVersionStore.SlotSize / 2);
        phone.PowerUp();
        Assert.IsTrue(bench.Runner.RunUntil(() => !phone.IsPowered, 600_000), BenchElement.Trail(phone));
        Assert.AreEqual(2, phone.PowerCutsDuringFlashWrite);
        AssertInstalled(phone, "v1", 0, bench.BootImage);

        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        PhoneEvent done = phone.Last(EventNames.TftpDone)!;
        Assert.AreEqual(true, done.Find("written"));
        Assert.AreEqual("v2", done.Find("version"));
        AssertInstalled(phone, "v2", 1, second);
        AssertHalfHolds(phone, 0, bench.BootImage);
    }

    [TestMethod]
    public void AnImageWithoutAManifestVersionIsFetchedButNotWritten()
    {
        using BenchElement bench = new(25, NetworkConditions.Hostile(0.10));
        SimPhone phone = bench.AddPhone("phone", 1);
        phone.Settings.PresetPin = "***1000";
        phone.PowerUp();
        bench.RunUntil(phone, EventNames.Registered);
        PhoneEvent done = phone.Last(EventNames.TftpDone)!;
        Assert.AreEqual(false, done.Find("verified"));
        Assert.AreEqual(false, done.Find("written"));
        Assert.AreEqual(0, phone.ImageFlash.Writes);
        Assert.IsNull(new ImageVersionStore(phone.Flash, PhoneFlashLayout.ImageVersionOffset).Read());
    }

    private static void AssertInstalled(SimPhone phone, string version, int partition, byte[] image)
    {
        InstalledImage? installed = new ImageVersionStore(phone.Flash, PhoneFlashLayout.ImageVersionOffset).Read();
        Assert.IsNotNull(installed);
        Assert.AreEqual(version, installed.Version);
        Assert.AreEqual(partition, installed.Partition);
        AssertHalfHolds(phone, partition, image);
    }

    private static void AssertHalfHolds(SimPhone phone, int partition, byte[] image)
    {
        byte[] stored = new byte[image.Length];
        Array.Copy(phone.ImageFlash.Bytes, partition * SimPhone.ImagePartitionSize, stored, 0, image.Length);
        CollectionAssert.AreEqual(image, stored, "image flash half " + partition);
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
