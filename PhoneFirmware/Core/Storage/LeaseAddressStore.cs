using System;
using Hal;
using PhoneFirmware.Core.Integrity;
using Protocol.Common;

namespace PhoneFirmware.Core.Storage;

/// <summary>
/// The address of the phone's last DHCP lease and the VLAN it was leased on, kept in flash so that
/// after a power cycle the client starts with INIT-REBOOT for it (RFC 2131 §3.2). Same scheme as the PIN record: two
/// slots with a sequence number and a CRC-32, a write goes to the slot not holding the current one.
/// </summary>
/// <remarks>
/// Slot layout (20 bytes, big-endian): magic "LA" (2) · sequence (4) · format version (1) ·
/// reserved 0 (1) · IPv4 address (4, 0 = none) · VLAN (2, 0 = untagged) · reserved 0 (2) ·
/// CRC-32 of the preceding 16 bytes (4).
/// See docs/pin-record.md.
/// </remarks>
public sealed class LeaseAddressStore
{
    public const int SlotSize = 20;
    public const int RegionSize = 2 * SlotSize;
    private const byte MagicFirst = (byte)'L';
    private const byte MagicSecond = (byte)'A';
    private const byte FormatVersion = 1;
    private const int AddressOffset = 8;
    private const int VlanOffset = 12;
    private const int CrcOffset = 16;

    private readonly IFlashRegion _flash;
    private readonly int _offset;

    public LeaseAddressStore(IFlashRegion flash, int offset)
    {
        if (offset < 0 || flash.Size < offset + RegionSize)
        {
            throw new ArgumentException("flash region too small for the lease address record");
        }

        _flash = flash;
        _offset = offset;
    }

    /// <summary>The remembered address, or 0 when none is stored (erased flash, damaged slots, cleared); its VLAN in <paramref name="vlan"/>.</summary>
    public uint Read(out int vlan)
    {
        uint sequence;
        int slot = CurrentSlot(out sequence);
        vlan = 0;
        if (slot < 0)
        {
            return 0;
        }

        byte[] bytes = ReadSlot(slot);
        vlan = (bytes[VlanOffset] << 8) | bytes[VlanOffset + 1];
        return BigEndian.ReadUInt32(bytes, AddressOffset);
    }

    /// <summary>Stores <paramref name="address"/> (0 forgets it) and its VLAN; nothing is written when both are already stored.</summary>
    public void Write(uint address, int vlan)
    {
        if (vlan < 0 || vlan > 4095)
        {
            throw new ArgumentException("VLAN must be 0 to 4095");
        }

        uint sequence;
        int current = CurrentSlot(out sequence);
        int storedVlan;
        if (current >= 0 && Read(out storedVlan) == address && storedVlan == vlan)
        {
            return;
        }

        int target = current == 0 ? 1 : 0;
        byte[] slot = Encode(current < 0 ? 1 : sequence + 1, address, vlan);
        _flash.Write(_offset + (target * SlotSize), slot, 0, SlotSize);
    }

    /// <summary>Encodes one slot image (also used by tests to check the layout).</summary>
    public static byte[] Encode(uint sequence, uint address, int vlan)
    {
        byte[] slot = new byte[SlotSize];
        slot[0] = MagicFirst;
        slot[1] = MagicSecond;
        BigEndian.WriteUInt32(slot, 2, sequence);
        slot[6] = FormatVersion;
        BigEndian.WriteUInt32(slot, AddressOffset, address);
        slot[VlanOffset] = (byte)(vlan >> 8);
        slot[VlanOffset + 1] = (byte)vlan;
        BigEndian.WriteUInt32(slot, CrcOffset, Crc32.Compute(slot, 0, CrcOffset));
        return slot;
    }

    // The valid slot with the newer sequence (wrap-safe), or -1 when neither is valid.
    private int CurrentSlot(out uint sequence)
    {
        bool firstValid = IsValid(ReadSlot(0));
        bool secondValid = IsValid(ReadSlot(1));
        uint first = firstValid ? BigEndian.ReadUInt32(ReadSlot(0), 2) : 0;
        uint second = secondValid ? BigEndian.ReadUInt32(ReadSlot(1), 2) : 0;
        if (firstValid && (!secondValid || (int)(second - first) <= 0))
        {
            sequence = first;
            return 0;
        }

        sequence = second;
        return secondValid ? 1 : -1;
    }

    private byte[] ReadSlot(int index)
    {
        byte[] slot = new byte[SlotSize];
        _flash.Read(_offset + (index * SlotSize), slot, 0, SlotSize);
        return slot;
    }

    private static bool IsValid(byte[] slot)
    {
        return slot[0] == MagicFirst && slot[1] == MagicSecond && slot[6] == FormatVersion
            && BigEndian.ReadUInt32(slot, CrcOffset) == Crc32.Compute(slot, 0, CrcOffset);
    }
}
