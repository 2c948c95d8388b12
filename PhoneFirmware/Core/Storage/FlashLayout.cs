namespace PhoneFirmware.Core.Storage;

/// <summary>Where each record lives in the phone's flash region (docs/pin-record.md).</summary>
public static class FlashLayout
{
    public const int PinRecordOffset = 0;

    public const int LeaseAddressOffset = PinRecordOffset + PinStore.RegionSize;

    /// <summary>The size the entry points give the flash region: both records.</summary>
    public const int Size = LeaseAddressOffset + LeaseAddressStore.RegionSize;
}
