namespace PhoneFirmware.Core.Storage;

/// <summary>The boot image the phone has in flash: its manifest version and which half of the image flash holds it.</summary>
public sealed class InstalledImage
{
    public InstalledImage(string version, int partition)
    {
        Version = version;
        Partition = partition;
    }

    public string Version { get; }

    /// <summary>0 or 1: the half of the image flash the image was written to.</summary>
    public int Partition { get; }
}
