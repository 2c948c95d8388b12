using System;
using PhoneFirmware.Core.Integrity;
using PhoneFirmware.Core.Storage;
using Protocol.Common;
using Tests.Portable.Support;

namespace Tests.Portable.Storage;

[TestClass]
public class PinStoreTests
{
    [TestMethod]
    public void ErasedFlashHoldsNoPin()
    {
        PinStore store = new PinStore(new MemoryFlash(PinStore.RegionSize));
        Assert.IsNull(store.Read());
        Assert.IsNull(store.ReadPin());
    }

    [TestMethod]
    public void StoresReadsReplacesAndClearsThePin()
    {
        MemoryFlash flash = new MemoryFlash(PinStore.RegionSize);
        PinStore store = new PinStore(flash);
        store.Write("***1000");
        Assert.AreEqual("***1000", new PinStore(flash).ReadPin());
        store.Write("###2004");
        Assert.AreEqual("###2004", new PinStore(flash).ReadPin());
        store.Write(null);
        Assert.IsNull(new PinStore(flash).ReadPin());
        Assert.AreEqual(3u, new PinStore(flash).Read()!.Sequence);
    }

    [TestMethod]
    public void WritesAlternateSlotsSoTheCurrentRecordIsNeverOverwritten()
    {
        MemoryFlash flash = new MemoryFlash(PinStore.RegionSize);
        PinStore store = new PinStore(flash);
        store.Write("***1000");
        byte[] firstSlot = new byte[PinStore.SlotSize];
        Array.Copy(flash.Bytes, 0, firstSlot, 0, PinStore.SlotSize);
        store.Write("***1001");
        for (int i = 0; i < PinStore.SlotSize; i++)
        {
            Assert.AreEqual(firstSlot[i], flash.Bytes[i], "slot 0 changed at byte " + i.ToString());
        }
    }

    [TestMethod]
    public void SlotLayoutMatchesTheDocumentedExample()
    {
        byte[] slot = PinStore.Encode(1, "***1000");
        byte[] expected = new byte[] { 0x50, 0x4E, 0, 0, 0, 1, 1, 7, 0x2A, 0x2A, 0x2A, 0x31, 0x30, 0x30, 0x30, 0 };
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], slot[i], "byte " + i.ToString());
        }

        Assert.AreEqual(PinStore.SlotSize, slot.Length);
    }

    [TestMethod]
    public void APowerCutAtAnyByteOfAWriteLeavesTheOldOrTheNewPin()
    {
        for (int history = 0; history < 3; history++)
        {
            for (int cut = 0; cut <= PinStore.SlotSize; cut++)
            {
                MemoryFlash flash = new MemoryFlash(PinStore.RegionSize);
                PinStore store = new PinStore(flash);
                string? old = null;
                for (int i = 0; i < history; i++)
                {
                    old = "***100" + i.ToString();
                    store.Write(old);
                }

                flash.CutPowerAfter(cut);
                bool completed = true;
                try
                {
                    store.Write("***2004");
                }
                catch (InvalidOperationException)
                {
                    completed = false;
                }

                string? after = new PinStore(flash).ReadPin();
                if (completed)
                {
                    Assert.AreEqual("***2004", after);
                }
                else
                {
                    Assert.IsTrue(after == old || after == "***2004", "cut at byte " + cut.ToString() + " left '" + after + "'");
                }
            }
        }
    }

    [TestMethod]
    public void ACorruptedSlotIsIgnored()
    {
        MemoryFlash flash = new MemoryFlash(PinStore.RegionSize);
        PinStore store = new PinStore(flash);
        store.Write("***1000");
        store.Write("***1001");
        // Damage the newer slot where only the CRC can tell: its last PIN digit becomes another
        // digit, so magic, version, length and characters all still look right.
        int lastDigit = PinStore.SlotSize + 8 + 6;
        Assert.AreEqual((byte)'1', flash.Bytes[lastDigit]);
        flash.Bytes[lastDigit] = (byte)'7';
        Assert.AreEqual("***1000", new PinStore(flash).ReadPin());
    }

    [TestMethod]
    public void AWellSealedSlotWithCharactersNoPinHasIsIgnored()
    {
        MemoryFlash flash = new MemoryFlash(PinStore.RegionSize);
        new PinStore(flash).Write("***1000");
        byte[] foreign = PinStore.Encode(9, "**a1000"); // good magic, version, length and CRC; 'a' is no key
        Array.Copy(foreign, 0, flash.Bytes, PinStore.SlotSize, PinStore.SlotSize);
        Assert.AreEqual("***1000", new PinStore(flash).ReadPin());
    }

    [TestMethod]
    public void AWellSealedSlotOfAnotherRecordTypeOrFormatVersionIsIgnored()
    {
        // Byte 0 or 1 of the magic, or the format version, differs; the CRC is right for the
        // bytes as they are (a slot another record type wrote, or a future format).
        int[] fields = new int[] { 0, 1, 6 };
        for (int i = 0; i < fields.Length; i++)
        {
            MemoryFlash flash = new MemoryFlash(PinStore.RegionSize);
            new PinStore(flash).Write("***1000");
            byte[] foreign = PinStore.Encode(9, "***2000");
            foreign[fields[i]]++;
            BigEndian.WriteUInt32(foreign, PinStore.SlotSize - 4, Crc32.Compute(foreign, 0, PinStore.SlotSize - 4));
            Array.Copy(foreign, 0, flash.Bytes, PinStore.SlotSize, PinStore.SlotSize);
            Assert.AreEqual("***1000", new PinStore(flash).ReadPin(), "slot 1 with byte " + fields[i].ToString() + " changed was read");
        }
    }

    [TestMethod]
    public void AfterSlot0IsDamagedTheNextWriteGoesThereWithTheSequenceAfterSlot1()
    {
        MemoryFlash flash = new MemoryFlash(PinStore.RegionSize);
        PinStore store = new PinStore(flash);
        store.Write("***1000");
        store.Write("***1001");
        flash.Bytes[0] = 0xFF; // slot 0 (sequence 1) no longer reads; slot 1 (sequence 2) does
        Assert.AreEqual("***1001", new PinStore(flash).ReadPin());
        byte[] secondSlot = new byte[PinStore.SlotSize];
        Array.Copy(flash.Bytes, PinStore.SlotSize, secondSlot, 0, PinStore.SlotSize);

        store.Write("***1002");
        Assert.AreEqual("***1002", new PinStore(flash).ReadPin());
        Assert.AreEqual(3u, new PinStore(flash).Read()!.Sequence);
        for (int i = 0; i < PinStore.SlotSize; i++)
        {
            Assert.AreEqual(secondSlot[i], flash.Bytes[PinStore.SlotSize + i], "slot 1, the current record, changed at byte " + i.ToString());
        }
    }

    [TestMethod]
    public void AcceptsAPinOfTheFullLength()
    {
        MemoryFlash flash = new MemoryFlash(PinStore.RegionSize);
        new PinStore(flash).Write("###12345678901234567");
        Assert.AreEqual("###12345678901234567", new PinStore(flash).ReadPin());
    }

    [TestMethod]
    public void RefusesPinsThatDoNotFitTheRecord()
    {
        PinStore store = new PinStore(new MemoryFlash(PinStore.RegionSize));
        AssertThrows.Any(() => store.Write(string.Empty));
        AssertThrows.Any(() => store.Write("123456789012345678901"));
    }
}
