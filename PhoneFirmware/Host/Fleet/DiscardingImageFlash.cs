using System;
using Hal;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// A fleet phone's image flash: as large as the emulated phone's (<see cref="EmulatedPhone.ImageFlashSize"/>,
/// two halves), but it keeps none of the bytes written to it — 10,000 phones holding a boot image
/// each would need gigabytes. What the boot sequence decides by is real: the installed image's
/// version is recorded in the phone's own flash (<c>Storage.ImageVersionStore</c>) only after the
/// image arrived whole and matched the manifest, so a phone whose image is current skips it at
/// the next boot, as the real set does. Nothing reads the image back on the host; reads give erased bytes.
/// </summary>
public sealed class DiscardingImageFlash : IFlashRegion
{
    public static readonly DiscardingImageFlash Instance = new();

    private DiscardingImageFlash()
    {
    }

    public int Size => EmulatedPhone.ImageFlashSize;

    public void Read(int offset, byte[] buffer, int index, int count)
    {
        CheckBounds(offset, count);
        Array.Fill(buffer, (byte)0xFF, index, count);
    }

    public void Write(int offset, byte[] data, int index, int count)
    {
        CheckBounds(offset, count);
    }

    private static void CheckBounds(int offset, int count)
    {
        if (offset < 0 || count < 0 || offset > EmulatedPhone.ImageFlashSize - count)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "outside the image flash");
        }
    }
}
