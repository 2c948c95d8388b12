using System;
using PhoneFirmware.Core.Storage;
using Tests.Portable.Support;

namespace Tests.Portable.Storage;

[TestClass]
public class ImageVersionStoreTests
{
    private static ImageVersionStore Store(MemoryFlash flash)
    {
        return new ImageVersionStore(flash, PhoneFlashLayout.ImageVersionOffset);
    }

    [TestMethod]
    public void ErasedFlashHasNoImageInstalled()
    {
        Assert.IsNull(Store(new MemoryFlash(PhoneFlashLayout.Size)).Read());
    }

    [TestMethod]
    public void StoresAndReplacesTheInstalledVersion()
    {
        MemoryFlash flash = new MemoryFlash(PhoneFlashLayout.Size);
        Store(flash).Write("3f2a9c01b7e4", 0);
        InstalledImage? installed = Store(flash).Read();
        Assert.IsNotNull(installed);
        Assert.AreEqual("3f2a9c01b7e4", installed!.Version);
        Assert.AreEqual(0, installed.Partition);
        Store(flash).Write("v2", 1);
        Assert.AreEqual("v2", Store(flash).Read()!.Version);
        Assert.AreEqual(1, Store(flash).Read()!.Partition);
    }

    [TestMethod]
    public void LivesBesideThePinRecordWithoutTouchingIt()
    {
        MemoryFlash flash = new MemoryFlash(PhoneFlashLayout.Size);
        PinStore pins = new PinStore(flash);
        pins.Write("***1000");
        Store(flash).Write("v1", 0);
        Store(flash).Write("v2", 1);
        pins.Write("***1001");
        Assert.AreEqual("***1001", new PinStore(flash).ReadPin());
        Assert.AreEqual("v2", Store(flash).Read()!.Version);
    }

    [TestMethod]
    public void APowerCutAtAnyByteOfAWriteLeavesTheOldOrTheNewVersion()
    {
        for (int cut = 0; cut <= ImageVersionStore.SlotSize; cut++)
        {
            MemoryFlash flash = new MemoryFlash(PhoneFlashLayout.Size);
            Store(flash).Write("v1", 0);
            Store(flash).Write("v2", 1);
            flash.CutPowerAfter(cut);
            bool completed = true;
            try
            {
                Store(flash).Write("v3", 0);
            }
            catch (InvalidOperationException)
            {
                completed = false;
            }

            InstalledImage? after = Store(flash).Read();
            Assert.IsNotNull(after);
            if (completed)
            {
                Assert.AreEqual("v3", after!.Version);
            }
            else
            {
                Assert.IsTrue((after!.Version == "v2" && after.Partition == 1) || (after.Version == "v3" && after.Partition == 0), "cut at byte " + cut.ToString() + " left '" + after.Version + "'");
            }
        }
    }

    [TestMethod]
    public void RefusesVersionsAndPartitionsThatDoNotFitTheRecord()
    {
        ImageVersionStore store = Store(new MemoryFlash(PhoneFlashLayout.Size));
        AssertThrows.Any(() => store.Write(string.Empty, 0));
        AssertThrows.Any(() => store.Write("123456789012345678901234567890123", 0));
        AssertThrows.Any(() => store.Write("v1", 2));
        AssertThrows.Any(() => new ImageVersionStore(new MemoryFlash(PinStore.RegionSize), PhoneFlashLayout.ImageVersionOffset));
    }
}
