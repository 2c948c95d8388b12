using System;
using Hal;
using Protocol.Common;

namespace PhoneFirmware.Core.Storage;

/// <summary>
/// The address of the phone's last DHCP lease and the VLAN it was leased on, kept in flash so that
/// after a power cycle the client starts with INIT-REBOOT for it (RFC 2131 §3.2): a
/// <see cref="TwoSlotRecord"/> after the installed-image record (<see cref="PhoneFlashLayout"/>).
/// </summary>
/// <remarks>
/// Slot layout (20 bytes, big-endian): magic "LA" (2) · sequence (4) · format version (1) ·
/// reserved 0 (1) · IPv4 address (4, 0 = none) · VLAN (2, 0 = untagged) · reserved 0 (2) ·
/// CRC-32 of the preceding 16 bytes (4).
/// See docs/pin-record.md.
/// </remarks>
public sealed class LeaseAddressStore : TwoSlotRecord
{
    public const int SlotSize = 20;
    public const int RegionSize = 2 * SlotSize;
    private const byte MagicFirst = (byte)'L';
    private const byte MagicSecond = (byte)'A';
    private const byte FormatVersion = 1;
    private const int AddressOffset = 8;
    private const int VlanOffset = 12;

    public LeaseAddressStore(IFlashRegion flash, int offset)
        : base(flash, offset, SlotSize, MagicFirst, MagicSecond, FormatVersion)
    {
    }

    /// <summary>The remembered address, or 0 when none is stored (erased flash, damaged slots, cleared); its VLAN in <paramref name="vlan"/>.</summary>
    public uint Read(out int vlan)
    {
        byte[]? slot = ReadNewestSlot();
        vlan = 0;
        if (slot == null)
        {
            return 0;
        }

        vlan = (slot[VlanOffset] << 8) | slot[VlanOffset + 1];
        return BigEndian.ReadUInt32(slot, AddressOffset);
    }

    /// <summary>Stores <paramref name="address"/> (0 forgets it) and its VLAN; nothing is written when both are already stored.</summary>
    public void Write(uint address, int vlan)
    {
        CheckVlan(vlan);
        if (ReadNewestSlot() != null)
        {
            int storedVlan;
            if (Read(out storedVlan) == address && storedVlan == vlan)
            {
                return;
            }
        }

        byte[] slot = NewSlot();
        FillPayload(slot, address, vlan);
        WriteSlot(slot);
    }

    /// <summary>Encodes one slot image (also used by tests to check the layout).</summary>
    public static byte[] Encode(uint sequence, uint address, int vlan)
    {
        CheckVlan(vlan);
        byte[] slot = new byte[SlotSize];
        FillPayload(slot, address, vlan);
        return Seal(slot, MagicFirst, MagicSecond, sequence, FormatVersion);
    }

    protected override bool IsValidPayload(byte[] slot)
    {
        return ((slot[VlanOffset] << 8) | slot[VlanOffset + 1]) <= 4095;
    }

    private static void FillPayload(byte[] slot, uint address, int vlan)
    {
        BigEndian.WriteUInt32(slot, AddressOffset, address);
        slot[VlanOffset] = (byte)(vlan >> 8);
        slot[VlanOffset + 1] = (byte)vlan;
    }

    private static void CheckVlan(int vlan)
    {
        if (vlan < 0 || vlan > 4095)
        {
            throw new ArgumentException("VLAN must be 0 to 4095");
        }
    }
}
