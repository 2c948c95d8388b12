using System;
using Hal;
using PhoneFirmware.Core.Integrity;
using Protocol.Common;

namespace PhoneFirmware.Core.Storage;

/// <summary>
/// The PIN record in flash, written so that a power cut at any byte leaves either the old PIN or
/// the new one: two slots, each with a sequence number and a CRC-32; a write goes to the slot that
/// does not hold the current record, so the current one is never touched while the new one is written.
/// </summary>
/// <remarks>
/// Slot layout (32 bytes, big-endian): magic "PN" (2) · sequence (4) · format version (1) ·
/// PIN length (1, 0 = no PIN) · PIN ASCII (20, zero-padded) · CRC-32 of the preceding 28 bytes (4).
/// See docs/pin-record.md.
/// </remarks>
public sealed class PinStore
{
    public const int SlotSize = 32;
    public const int RegionSize = 2 * SlotSize;
    public const int MaxPinLength = 20;
    private const byte MagicFirst = (byte)'P';
    private const byte MagicSecond = (byte)'N';
    private const byte FormatVersion = 1;
    private const int PinOffset = 8;
    private const int CrcOffset = 28;

    private readonly IFlashRegion _flash;

    public PinStore(IFlashRegion flash)
    {
        if (flash.Size < RegionSize)
        {
            throw new ArgumentException("flash region too small for the PIN record");
        }

        _flash = flash;
    }

    /// <summary>The newest valid record, or null when neither slot holds one (a new or erased phone).</summary>
    public PinRecord? Read()
    {
        PinRecord? first = ReadSlot(0);
        PinRecord? second = ReadSlot(1);
        if (first == null)
        {
            return second;
        }

        if (second == null)
        {
            return first;
        }

        return IsNewer(second.Sequence, first.Sequence) ? second : first;
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

        PinRecord? first = ReadSlot(0);
        PinRecord? second = ReadSlot(1);
        int targetSlot;
        uint sequence;
        if (first == null && second == null)
        {
            targetSlot = 0;
            sequence = 1;
        }
        else if (first == null)
        {
            targetSlot = 0;
            sequence = second!.Sequence + 1;
        }
        else if (second == null)
        {
            targetSlot = 1;
            sequence = first.Sequence + 1;
        }
        else if (IsNewer(second.Sequence, first.Sequence))
        {
            targetSlot = 0;
            sequence = second.Sequence + 1;
        }
        else
        {
            targetSlot = 1;
            sequence = first.Sequence + 1;
        }

        byte[] slot = Encode(sequence, pin);
        _flash.Write(targetSlot * SlotSize, slot, 0, SlotSize);
    }

    /// <summary>Encodes one slot image (also used by tests to build damaged images).</summary>
    public static byte[] Encode(uint sequence, string? pin)
    {
        byte[] slot = new byte[SlotSize];
        slot[0] = MagicFirst;
        slot[1] = MagicSecond;
        BigEndian.WriteUInt32(slot, 2, sequence);
        slot[6] = FormatVersion;
        if (pin != null)
        {
            byte[] pinBytes = Ascii.GetBytes(pin);
            slot[7] = (byte)pinBytes.Length;
            Array.Copy(pinBytes, 0, slot, PinOffset, pinBytes.Length);
        }

        BigEndian.WriteUInt32(slot, CrcOffset, Crc32.Compute(slot, 0, CrcOffset));
        return slot;
    }

    // Sequence numbers wrap; the newer of two is the one a small forward step ahead.
    private static bool IsNewer(uint candidate, uint current)
    {
        return (int)(candidate - current) > 0;
    }

    private PinRecord? ReadSlot(int index)
    {
        byte[] slot = new byte[SlotSize];
        _flash.Read(index * SlotSize, slot, 0, SlotSize);
        if (slot[0] != MagicFirst || slot[1] != MagicSecond || slot[6] != FormatVersion)
        {
            return null;
        }

        if (BigEndian.ReadUInt32(slot, CrcOffset) != Crc32.Compute(slot, 0, CrcOffset))
        {
            return null;
        }

        int length = slot[7];
        if (length > MaxPinLength)
        {
            return null;
        }

        string? pin = null;
        if (length > 0)
        {
            for (int i = 0; i < length; i++)
            {
                byte b = slot[PinOffset + i];
                if (!((b >= '0' && b <= '9') || b == '*' || b == '#'))
                {
                    return null;
                }
            }

            pin = Ascii.GetLenientString(slot, PinOffset, length);
        }

        return new PinRecord(BigEndian.ReadUInt32(slot, 2), pin);
    }
}
