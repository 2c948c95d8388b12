namespace PhoneFirmware.Core.Storage;

/// <summary>
/// What the phone keeps in its small flash region (<c>PhoneDevices.Flash</c>), in order. New
/// records go at the end, so a region written by an older firmware keeps its records when the
/// drivers extend it (the tail reads as erased).
/// </summary>
public static class PhoneFlashLayout
{
    public const int PinRecordOffset = 0;

    public const int ImageVersionOffset = PinRecordOffset + PinStore.RegionSize;

    public const int LeaseAddressOffset = ImageVersionOffset + ImageVersionStore.RegionSize;

    public const int SipCredentialOffset = LeaseAddressOffset + LeaseAddressStore.RegionSize;

    public const int Size = SipCredentialOffset + SipCredentialStore.RegionSize;
}
