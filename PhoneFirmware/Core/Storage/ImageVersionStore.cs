using System;
using Hal;
using Protocol.Common;

namespace PhoneFirmware.Core.Storage;

/// <summary>
/// The record of the installed boot image (<see cref="InstalledImage"/>): a
/// <see cref="TwoSlotRecord"/> after the PIN record in the phone's flash region. It is written
/// only after the new image is completely in flash and verified, into the half of the image
/// flash the old one does not use, so a power cut at any moment leaves the old record and the
/// old image intact.
/// </summary>
/// <remarks>
/// Slot layout (48 bytes, big-endian): magic "IV" (2) · sequence (4) · format version (1) ·
/// partition (1, 0 or 1) · version length (1, 1..32) · version ASCII (32, zero-padded) ·
/// 3 zero bytes · CRC-32 of the preceding 44 bytes (4). See docs/tftp.md.
/// </remarks>
public sealed class ImageVersionStore : TwoSlotRecord
{
    public const int SlotSize = 48;
    public const int RegionSize = 2 * SlotSize;
    public const int MaxVersionLength = 32;
    private const byte MagicFirst = (byte)'I';
    private const byte MagicSecond = (byte)'V';
    private const byte FormatVersion = 1;
    private const int PartitionOffset = PayloadOffset;
    private const int LengthOffset = 8;
    private const int VersionOffset = 9;

    public ImageVersionStore(IFlashRegion flash, int offset)
        : base(flash, offset, SlotSize, MagicFirst, MagicSecond, FormatVersion)
    {
    }

    /// <summary>The installed image, or null when none was ever recorded (a new or erased phone).</summary>
    public InstalledImage? Read()
    {
        byte[]? slot = ReadNewestSlot();
        return slot == null ? null : new InstalledImage(Ascii.GetLenientString(slot, VersionOffset, slot[LengthOffset]), slot[PartitionOffset]);
    }

    /// <summary>Records that <paramref name="version"/> is now installed in <paramref name="partition"/>.</summary>
    public void Write(string version, int partition)
    {
        if (version.Length == 0 || version.Length > MaxVersionLength)
        {
            throw new ArgumentException("image version must be 1 to " + MaxVersionLength.ToString() + " characters");
        }

        if (partition != 0 && partition != 1)
        {
            throw new ArgumentException("image partition must be 0 or 1");
        }

        byte[] slot = NewSlot();
        slot[PartitionOffset] = (byte)partition;
        byte[] text = Ascii.GetBytes(version);
        slot[LengthOffset] = (byte)text.Length;
        Array.Copy(text, 0, slot, VersionOffset, text.Length);
        WriteSlot(slot);
    }

    protected override bool IsValidPayload(byte[] slot)
    {
        int length = slot[LengthOffset];
        if (slot[PartitionOffset] > 1 || length == 0 || length > MaxVersionLength)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            byte b = slot[VersionOffset + i];
            if (b <= 0x20 || b >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
