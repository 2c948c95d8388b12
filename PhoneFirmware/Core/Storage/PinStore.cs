using System;
using Hal;
using Protocol.Common;

namespace PhoneFirmware.Core.Storage;

/// <summary>
/// The PIN record in flash, written so that a power cut at any byte leaves either the old PIN or
/// the new one (a <see cref="TwoSlotRecord"/> at the start of the phone's flash region).
/// </summary>
/// <remarks>
/// Slot layout (32 bytes, big-endian): magic "PN" (2) · sequence (4) · format version (1) ·
/// PIN length (1, 0 = no PIN) · PIN ASCII (20, zero-padded) · CRC-32 of the preceding 28 bytes (4).
/// See docs/pin-record.md.
/// </remarks>
public sealed class PinStore : TwoSlotRecord
{
    public const int SlotSize = 32;
    public const int RegionSize = 2 * SlotSize;
    public const int MaxPinLength = 20;
    private const byte MagicFirst = (byte)'P';
    private const byte MagicSecond = (byte)'N';
    private const byte FormatVersion = 1;
    private const int LengthOffset = PayloadOffset;
    private const int PinOffset = 8;

    public PinStore(IFlashRegion flash)
        : base(flash, 0, SlotSize, MagicFirst, MagicSecond, FormatVersion)
    {
    }

    /// <summary>The newest valid record, or null when neither slot holds one (a new or erased phone).</summary>
    public PinRecord? Read()
    {
        byte[]? slot = ReadNewestSlot();
        if (slot == null)
        {
            return null;
        }

        int length = slot[LengthOffset];
        return new PinRecord(SequenceOf(slot), length == 0 ? null : Ascii.GetLenientString(slot, PinOffset, length));
    }

    /// <summary>The stored PIN, or null.</summary>
    public string? ReadPin()
    {
        PinRecord? record = Read();
        return record == null ? null : record.Pin;
    }

    /// <summary>Stores <paramref name="pin"/> (null clears it) in the slot not holding the current record.</summary>
    public void Write(string? pin)
    {
        if (pin != null && (pin.Length == 0 || pin.Length > MaxPinLength))
        {
            throw new ArgumentException("PIN must be 1 to " + MaxPinLength.ToString() + " characters");
        }

        byte[] slot = NewSlot();
        PutPin(slot, pin);
        WriteSlot(slot);
    }

    /// <summary>Encodes one slot image (also used by tests to build damaged images).</summary>
    public static byte[] Encode(uint sequence, string? pin)
    {
        byte[] slot = new byte[SlotSize];
        PutPin(slot, pin);
        return Seal(slot, MagicFirst, MagicSecond, sequence, FormatVersion);
    }

    protected override bool IsValidPayload(byte[] slot)
    {
        int length = slot[LengthOffset];
        if (length > MaxPinLength)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            byte b = slot[PinOffset + i];
            if (!((b >= '0' && b <= '9') || b == '*' || b == '#'))
            {
                return false;
            }
        }

        return true;
    }

    private static void PutPin(byte[] slot, string? pin)
    {
        if (pin != null)
        {
            byte[] pinBytes = Ascii.GetBytes(pin);
            slot[LengthOffset] = (byte)pinBytes.Length;
            Array.Copy(pinBytes, 0, slot, PinOffset, pinBytes.Length);
        }
    }
}
