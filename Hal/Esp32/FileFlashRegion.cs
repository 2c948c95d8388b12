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
    private const string Region = "flash region";
    private readonly string _path;

    public FileFlashRegion(string path, int size)
    {
        _path = path;
        Size = size;
        if (!File.Exists(path))
        {
            FlashFile.Erase(path, 0, size);
        }
        else
        {
            long length = FlashFile.Length(path);
            if (length < size)
            {
                // A region grown by a firmware update (a record added after the others):
                // keep what is stored, the new tail reads as erased.
                FlashFile.Erase(path, length, size);
            }
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
