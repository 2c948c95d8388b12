using System;
using Hal;
using PhoneFirmware.Core.Integrity;
using Protocol.Common;

namespace PhoneFirmware.Core.Storage;

/// <summary>
/// A small record in flash that survives a power cut at any byte of a write: two slots, each with
/// a magic, a sequence number, a format version and a CRC-32; a write goes to the slot that does
/// not hold the current record, with the next sequence number, so the current record is never
/// touched while the new one is written. Subclasses define the payload and what makes it valid.
/// </summary>
/// <remarks>
/// Slot layout (big-endian): magic (2) · sequence (4) · format version (1) · payload ·
/// CRC-32 of everything before it (4, the last bytes of the slot). See docs/pin-record.md.
/// </remarks>
public abstract class TwoSlotRecord
{
    /// <summary>Where the payload starts in a slot.</summary>
    public const int PayloadOffset = 7;

    private readonly IFlashRegion _flash;
    private readonly int _offset;
    private readonly int _slotSize;
    private readonly byte _magicFirst;
    private readonly byte _magicSecond;
    private readonly byte _formatVersion;

    protected TwoSlotRecord(IFlashRegion flash, int offset, int slotSize, byte magicFirst, byte magicSecond, byte formatVersion)
    {
        if (flash.Size < offset + (2 * slotSize))
        {
            throw new ArgumentException("flash region too small for the record");
        }

        _flash = flash;
        _offset = offset;
        _slotSize = slotSize;
        _magicFirst = magicFirst;
        _magicSecond = magicSecond;
        _formatVersion = formatVersion;
    }

    /// <summary>Fills in the header and the CRC of a slot image whose payload is already in place.</summary>
    protected static byte[] Seal(byte[] slot, byte magicFirst, byte magicSecond, uint sequence, byte formatVersion)
    {
        slot[0] = magicFirst;
        slot[1] = magicSecond;
        BigEndian.WriteUInt32(slot, 2, sequence);
        slot[6] = formatVersion;
        int crcOffset = slot.Length - 4;
        BigEndian.WriteUInt32(slot, crcOffset, Crc32.Compute(slot, 0, crcOffset));
        return slot;
    }

    /// <summary>The newest valid slot image (sequence at bytes 2..5), or null when neither slot holds one.</summary>
    protected byte[]? ReadNewestSlot()
    {
        byte[]? first = ReadSlot(0);
        byte[]? second = ReadSlot(1);
        if (first == null)
        {
            return second;
        }

        if (second == null)
        {
            return first;
        }

        return IsNewer(SequenceOf(second), SequenceOf(first)) ? second : first;
    }

    /// <summary>Writes a slot image (payload filled in) to the slot not holding the current record.</summary>
    protected void WriteSlot(byte[] slot)
    {
        byte[]? first = ReadSlot(0);
        byte[]? second = ReadSlot(1);
        int target;
        uint sequence;
        if (first == null && second == null)
        {
            target = 0;
            sequence = 1;
        }
        else if (first == null)
        {
            target = 0;
            sequence = SequenceOf(second!) + 1;
        }
        else if (second == null)
        {
            target = 1;
            sequence = SequenceOf(first) + 1;
        }
        else if (IsNewer(SequenceOf(second), SequenceOf(first)))
        {
            target = 0;
            sequence = SequenceOf(second) + 1;
        }
        else
        {
            target = 1;
            sequence = SequenceOf(first) + 1;
        }

        Seal(slot, _magicFirst, _magicSecond, sequence, _formatVersion);
        _flash.Write(_offset + (target * _slotSize), slot, 0, _slotSize);
    }

    /// <summary>A new, zeroed slot image of the right size.</summary>
    protected byte[] NewSlot()
    {
        return new byte[_slotSize];
    }

    /// <summary>Whether a slot whose header and CRC are good holds a payload this record accepts.</summary>
    protected abstract bool IsValidPayload(byte[] slot);

    protected static uint SequenceOf(byte[] slot)
    {
        return BigEndian.ReadUInt32(slot, 2);
    }

    // Sequence numbers wrap; the newer of two is the one a small forward step ahead.
    private static bool IsNewer(uint candidate, uint current)
    {
        return (int)(candidate - current) > 0;
    }

    private byte[]? ReadSlot(int index)
    {
        byte[] slot = new byte[_slotSize];
        _flash.Read(_offset + (index * _slotSize), slot, 0, _slotSize);
        if (slot[0] != _magicFirst || slot[1] != _magicSecond || slot[6] != _formatVersion)
        {
            return null;
        }

        int crcOffset = _slotSize - 4;
        if (BigEndian.ReadUInt32(slot, crcOffset) != Crc32.Compute(slot, 0, crcOffset))
        {
            return null;
        }

        return IsValidPayload(slot) ? slot : null;
    }
}
