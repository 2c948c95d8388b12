using System;
using System.IO;

namespace Hal.Esp32;

/// <summary>
/// The image flash (two halves, docs/tftp.md) as a fixed-size file on nanoFramework's internal
/// flash file system. Every write opens, writes, flushes and closes the file, so it is on flash
/// when Write returns. A file of another size than the profile's is refused, not resized: the
/// halves would move under the installed image's record, which still names its half.
/// </summary>
public sealed class FileImageFlash : IFlashRegion
{
    private const string Region = "image flash";

    private readonly string _path;

    public FileImageFlash(string path, int size)
    {
        if (size <= 0 || size % 2 != 0)
        {
            throw new ArgumentOutOfRangeException("size", "the image flash is two equal halves");
        }

        _path = path;
        Size = size;
        if (!File.Exists(path))
        {
            try
            {
                FlashFile.Erase(path, 0, size);
            }
            catch (IOException)
            {
                // A part-made file (the file system is full) would read as the wrong size next boot.
                File.Delete(path);
                throw new IOException("image flash " + path + ": the file system has no room for " + size.ToString() + " bytes (image-flash-bytes)");
            }

            return;
        }

        long length = FlashFile.Length(path);
        if (length != size)
        {
            throw new IOException("image flash " + path + " holds " + length.ToString() + " bytes, the profile's image-flash-bytes says " + size.ToString()
                + " (hardware/README.md: put the old size back, or erase the file system to start without an image)");
        }
    }

    public int Size { get; }

    public void Read(int offset, byte[] buffer, int index, int count)
    {
        FlashFile.CheckRange(offset, count, Size, Region);
        FlashFile.Read(_path, offset, buffer, index, count, Region);
    }

    public void Write(int offset, byte[] data, int index, int count)
    {
        FlashFile.CheckRange(offset, count, Size, Region);
        FlashFile.Write(_path, offset, data, index, count);
    }
}
