using System;
using Hal;
using Protocol.Common;

namespace PhoneFirmware.Core.Storage;

/// <summary>
/// The SIP line's credentials in flash (the number and the password typed at the prompts),
/// power-cut safe like the PIN: a <see cref="TwoSlotRecord"/> after the other records.
/// </summary>
/// <remarks>
/// Slot layout (64 bytes, big-endian): magic "SC" (2) · sequence (4) · format version (1) ·
/// number length (1) · number ASCII (24) · password length (1) · password ASCII (24) ·
/// 3 zero bytes · CRC-32 of the preceding 60 bytes (4). See docs/pin-record.md.
/// </remarks>
public sealed class SipCredentialStore : TwoSlotRecord
{
    public const int SlotSize = 64;
    public const int RegionSize = 2 * SlotSize;
    public const int MaxLength = 24;
    private const byte MagicFirst = (byte)'S';
    private const byte MagicSecond = (byte)'C';
    private const byte FormatVersion = 1;
    private const int NumberLengthOffset = PayloadOffset;
    private const int NumberOffset = NumberLengthOffset + 1;
    private const int PasswordLengthOffset = NumberOffset + MaxLength;
    private const int PasswordOffset = PasswordLengthOffset + 1;

    public SipCredentialStore(IFlashRegion flash, int offset)
        : base(flash, offset, SlotSize, MagicFirst, MagicSecond, FormatVersion)
    {
    }

    /// <summary>The stored number, or empty.</summary>
    public string Number { get; private set; } = string.Empty;

    /// <summary>The stored password, or empty.</summary>
    public string Password { get; private set; } = string.Empty;

    /// <summary>Reads the newest valid slot into <see cref="Number"/> and <see cref="Password"/> (both empty when none).</summary>
    public void Load()
    {
        byte[]? slot = ReadNewestSlot();
        Number = slot == null ? string.Empty : Ascii.GetLenientString(slot, NumberOffset, slot[NumberLengthOffset]);
        Password = slot == null ? string.Empty : Ascii.GetLenientString(slot, PasswordOffset, slot[PasswordLengthOffset]);
    }

    /// <summary>Stores both (empty clears one) in the slot not holding the current record.</summary>
    public void Write(string number, string password)
    {
        if (!IsValid(number) || !IsValid(password))
        {
            throw new ArgumentException("SIP number and password must be 0 to " + MaxLength.ToString() + " of 0-9 * #");
        }

        byte[] slot = NewSlot();
        Put(slot, NumberLengthOffset, number);
        Put(slot, PasswordLengthOffset, password);
        WriteSlot(slot);
        Number = number;
        Password = password;
    }

    /// <summary>Whether <paramref name="text"/> can be stored: up to <see cref="MaxLength"/> keypad characters.</summary>
    public static bool IsValid(string text)
    {
        if (text.Length > MaxLength)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (!((c >= '0' && c <= '9') || c == '*' || c == '#'))
            {
                return false;
            }
        }

        return true;
    }

    protected override bool IsValidPayload(byte[] slot)
    {
        return IsValidField(slot, NumberLengthOffset) && IsValidField(slot, PasswordLengthOffset);
    }

    private static bool IsValidField(byte[] slot, int lengthOffset)
    {
        int length = slot[lengthOffset];
        if (length > MaxLength)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            byte b = slot[lengthOffset + 1 + i];
            if (!((b >= '0' && b <= '9') || b == '*' || b == '#'))
            {
                return false;
            }
        }

        return true;
    }

    private static void Put(byte[] slot, int lengthOffset, string text)
    {
        byte[] bytes = Ascii.GetBytes(text);
        slot[lengthOffset] = (byte)bytes.Length;
        Array.Copy(bytes, 0, slot, lengthOffset + 1, bytes.Length);
    }
}
