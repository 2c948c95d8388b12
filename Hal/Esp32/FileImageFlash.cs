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
    // Erase in chunks: a whole image flash does not fit the device's managed heap.
    private const int EraseChunk = 4096;

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
                Erase();
            }
            catch (IOException)
            {
                // A part-made file (the file system is full) would read as the wrong size next boot.
                File.Delete(path);
                throw new IOException("image flash " + path + ": the file system has no room for " + size.ToString() + " bytes (image-flash-bytes)");
            }

            return;
        }

        long length = Length();
        if (length != size)
        {
            throw new IOException("image flash " + path + " holds " + length.ToString() + " bytes, the profile's image-flash-bytes says " + size.ToString()
                + " (hardware/README.md: put the old size back, or erase the file system to start without an image)");
        }
    }

    public int Size { get; }

    public void Read(int offset, byte[] buffer, int index, int count)
    {
        Check(offset, count);
        using FileStream file = new FileStream(_path, FileMode.Open, FileAccess.Read);
        file.Seek(offset, SeekOrigin.Begin);
        int done = 0;
        while (done < count)
        {
            int read = file.Read(buffer, index + done, count - done);
            if (read <= 0)
            {
                throw new IOException("image flash file shorter than its region");
            }

            done += read;
        }
    }

    public void Write(int offset, byte[] data, int index, int count)
    {
        Check(offset, count);
        using FileStream file = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite);
        file.Seek(offset, SeekOrigin.Begin);
        file.Write(data, index, count);
        file.Flush();
    }

    private long Length()
    {
        using FileStream file = new FileStream(_path, FileMode.Open, FileAccess.Read);
        return file.Length;
    }

    // Erased flash reads as 0xFF, as on a raw partition.
    private void Erase()
    {
        byte[] erased = new byte[EraseChunk];
        for (int i = 0; i < erased.Length; i++)
        {
            erased[i] = 0xFF;
        }

        using FileStream file = new FileStream(_path, FileMode.Create, FileAccess.ReadWrite);
        int done = 0;
        while (done < Size)
        {
            int count = Size - done < EraseChunk ? Size - done : EraseChunk;
            file.Write(erased, 0, count);
            done += count;
        }

        file.Flush();
    }

    private void Check(int offset, int count)
    {
        if (offset < 0 || count < 0 || offset > Size - count)
        {
            throw new ArgumentOutOfRangeException("offset", "outside the image flash");
        }
    }
}
