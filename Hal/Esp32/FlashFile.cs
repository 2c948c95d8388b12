using System;
using System.IO;

namespace Hal.Esp32;

/// <summary>
/// A file on nanoFramework's internal flash file system used as raw flash: the I/O both flash
/// regions (<see cref="FileFlashRegion"/>, <see cref="FileImageFlash"/>) share. Every write opens,
/// writes, flushes and closes the file, so it is on flash when it returns.
/// </summary>
internal static class FlashFile
{
    // Erase in chunks: a whole image flash does not fit the device's managed heap.
    private const int EraseChunk = 4096;

    /// <summary>Throws unless [offset, offset + count) lies inside a region of <paramref name="size"/> bytes.</summary>
    public static void CheckRange(int offset, int count, int size, string region)
    {
        if (offset < 0 || count < 0 || offset > size - count)
        {
            throw new ArgumentOutOfRangeException("offset", "outside the " + region);
        }
    }

    public static void Read(string path, int offset, byte[] buffer, int index, int count, string region)
    {
        using FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read);
        file.Seek(offset, SeekOrigin.Begin);
        int done = 0;
        while (done < count)
        {
            int read = file.Read(buffer, index + done, count - done);
            if (read <= 0)
            {
                throw new IOException(region + " file shorter than its region");
            }

            done += read;
        }
    }

    public static void Write(string path, int offset, byte[] data, int index, int count)
    {
        using FileStream file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Seek(offset, SeekOrigin.Begin);
        file.Write(data, index, count);
        file.Flush();
    }

    public static long Length(string path)
    {
        using FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read);
        return file.Length;
    }

    /// <summary>
    /// Makes bytes [from, size) read as erased flash (0xFF, as on a raw partition; the record formats
    /// read that as "no record"): a new file when <paramref name="from"/> is 0, else the tail of the existing one.
    /// </summary>
    public static void Erase(string path, long from, int size)
    {
        byte[] erased = new byte[EraseChunk];
        for (int i = 0; i < erased.Length; i++)
        {
            erased[i] = 0xFF;
        }

        using FileStream file = new FileStream(path, from == 0 ? FileMode.Create : FileMode.Open, FileAccess.ReadWrite);
        file.Seek(from, SeekOrigin.Begin);
        long done = from;
        while (done < size)
        {
            int count = size - done < EraseChunk ? (int)(size - done) : EraseChunk;
            file.Write(erased, 0, count);
            done += count;
        }

        file.Flush();
    }
}
