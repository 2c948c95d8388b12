using Hal;
using PhoneFirmware.Core.Storage;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// The two halves of the image flash: a new image streams into the half the installed one does
/// not use and becomes the installed one (<see cref="ImageVersionStore"/>) only once verified, so a
/// power cut at any moment leaves the old image and its record intact.
/// </summary>
public sealed class ImageInstaller
{
    private readonly ImageVersionStore _installed;
    private readonly IFlashRegion _flash;
    private int _partition;

    public ImageInstaller(ImageVersionStore installed, IFlashRegion flash)
    {
        _installed = installed;
        _flash = flash;
    }

    /// <summary>Bytes in one half: the largest image that can be installed.</summary>
    public int PartitionSize => _flash.Size / 2;

    /// <summary>True when <paramref name="version"/> is the installed image's version.</summary>
    public bool IsInstalled(string version)
    {
        InstalledImage? installed = _installed.Read();
        return installed != null && installed.Version == version;
    }

    /// <summary>Chooses the half to write: the one the installed image does not use.</summary>
    public void Begin()
    {
        InstalledImage? installed = _installed.Read();
        _partition = installed == null ? 0 : 1 - installed.Partition;
    }

    /// <summary>Writes image bytes at <paramref name="position"/> of the chosen half; the caller bounds the image by <see cref="PartitionSize"/>.</summary>
    public void Write(int position, byte[] buffer, int offset, int count)
    {
        _flash.Write((_partition * PartitionSize) + position, buffer, offset, count);
    }

    /// <summary>The image in the chosen half is whole and verified: it is the installed one from now on.</summary>
    public void Commit(string version)
    {
        _installed.Write(version, _partition);
    }
}
