using System;
using PhoneFirmware.Core.Storage;
using Tests.Portable.Support;

namespace Tests.Portable.Storage;

[TestClass]
public class LeaseAddressStoreTests
{
    [TestMethod]
    public void ErasedFlashRemembersNoAddress()
    {
        int vlan;
        LeaseAddressStore store = new LeaseAddressStore(new MemoryFlash(PhoneFlashLayout.Size), PhoneFlashLayout.LeaseAddressOffset);
        Assert.AreEqual(0u, store.Read(out vlan));
        Assert.AreEqual(0, vlan);
    }

    [TestMethod]
    public void StoresReplacesAndForgetsTheAddressAndVlan()
    {
        MemoryFlash flash = new MemoryFlash(PhoneFlashLayout.Size);
        LeaseAddressStore store = new LeaseAddressStore(flash, PhoneFlashLayout.LeaseAddressOffset);
        int vlan;
        store.Write(0x0A4D0032, 0);
        Assert.AreEqual(0x0A4D0032u, new LeaseAddressStore(flash, PhoneFlashLayout.LeaseAddressOffset).Read(out vlan));
        Assert.AreEqual(0, vlan);
        store.Write(0x0A4E0033, 1056);
        Assert.AreEqual(0x0A4E0033u, new LeaseAddressStore(flash, PhoneFlashLayout.LeaseAddressOffset).Read(out vlan));
        Assert.AreEqual(1056, vlan);
        store.Write(0, 0);
        Assert.AreEqual(0u, new LeaseAddressStore(flash, PhoneFlashLayout.LeaseAddressOffset).Read(out vlan));
    }

    [TestMethod]
    public void TheSameAddressIsNotWrittenAgain()
    {
        MemoryFlash flash = new MemoryFlash(PhoneFlashLayout.Size);
        LeaseAddressStore store = new LeaseAddressStore(flash, PhoneFlashLayout.LeaseAddressOffset);
        store.Write(0x0A4D0032, 0);
        store.Write(0x0A4D0032, 0);
        Assert.AreEqual(1, flash.Writes);
    }

    [TestMethod]
    public void LeavesThePinAndImageRecordsAlone()
    {
        MemoryFlash flash = new MemoryFlash(PhoneFlashLayout.Size);
        PinStore pins = new PinStore(flash);
        pins.Write("***1000");
        ImageVersionStore images = new ImageVersionStore(flash, PhoneFlashLayout.ImageVersionOffset);
        images.Write("7.2.1", 1);
        LeaseAddressStore store = new LeaseAddressStore(flash, PhoneFlashLayout.LeaseAddressOffset);
        for (uint i = 1; i <= 5; i++)
        {
            store.Write(0x0A4D0000 + i, 0);
        }

        int vlan;
        Assert.AreEqual("***1000", pins.ReadPin());
        Assert.AreEqual("7.2.1", images.Read()!.Version);
        Assert.AreEqual(0x0A4D0005u, store.Read(out vlan));
    }

    [TestMethod]
    public void APowerCutDuringAWriteLeavesTheOldOrTheNewAddress()
    {
        for (int cut = 0; cut <= LeaseAddressStore.SlotSize; cut++)
        {
            MemoryFlash flash = new MemoryFlash(PhoneFlashLayout.Size);
            LeaseAddressStore store = new LeaseAddressStore(flash, PhoneFlashLayout.LeaseAddressOffset);
            store.Write(0x0A4D0032, 0);
            store.Write(0x0A4D0033, 0);
            flash.CutPowerAfter(cut);
            try
            {
                store.Write(0x0A4D0034, 0);
            }
            catch (InvalidOperationException)
            {
                // the cut
            }

            int vlan;
            uint after = new LeaseAddressStore(flash, PhoneFlashLayout.LeaseAddressOffset).Read(out vlan);
            Assert.IsTrue(after == 0x0A4D0033u || after == 0x0A4D0034u, "cut after " + cut.ToString() + " bytes left " + after.ToString());
        }
    }

    [TestMethod]
    public void SlotLayoutIsAsDocumented()
    {
        byte[] slot = LeaseAddressStore.Encode(1, 0x0A4D0032, 1056);
        byte[] expected = new byte[] { 0x4C, 0x41, 0, 0, 0, 1, 1, 0, 0x0A, 0x4D, 0x00, 0x32, 0x04, 0x20, 0, 0 };
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], slot[i], "byte " + i.ToString());
        }

        Assert.AreEqual(LeaseAddressStore.SlotSize, slot.Length);
    }
}
