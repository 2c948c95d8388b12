using System;
using System.IO;

namespace Hal.Esp32;

/// <summary>
/// The PIN record's region as a fixed-size file on nanoFramework's internal flash file system
/// (drive I: on ESP32). Every write opens, writes and closes the file, so it is on flash when
/// Write returns; the record format (two slots, sequence number, CRC) survives a write cut short.
/// </summary>
public sealed class FileFlashRegion : IFlashRegion
{
    private readonly string _path;

    public FileFlashRegion(string path, int size)
    {
        _path = path;
        Size = size;
        if (!File.Exists(path))
        {
            Erase(0);
        }
        else if (Length() < size)
        {
            // A firmware with a larger region (a record added) keeps the records already stored.
            Erase((int)Length());
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
                throw new IOException("flash file shorter than its region");
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

    // Erased flash reads as 0xFF; the record format treats that as "no record".
    private void Erase(int from)
    {
        byte[] erased = new byte[Size - from];
        for (int i = 0; i < erased.Length; i++)
        {
            erased[i] = 0xFF;
        }

        using FileStream file = new FileStream(_path, from == 0 ? FileMode.Create : FileMode.Open, FileAccess.ReadWrite);
        file.Seek(from, SeekOrigin.Begin);
        file.Write(erased, 0, erased.Length);
        file.Flush();
    }

    private void Check(int offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > Size)
        {
            throw new ArgumentOutOfRangeException("offset", "outside the flash region");
        }
    }
}
