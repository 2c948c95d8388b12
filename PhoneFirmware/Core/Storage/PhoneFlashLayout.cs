namespace PhoneFirmware.Core.Storage;

/// <summary>What the phone keeps in its small flash region (<c>PhoneDevices.Flash</c>), in order.</summary>
public static class PhoneFlashLayout
{
    public const int PinRecordOffset = 0;

    public const int ImageVersionOffset = PinRecordOffset + PinStore.RegionSize;

    public const int Size = ImageVersionOffset + ImageVersionStore.RegionSize;
}
