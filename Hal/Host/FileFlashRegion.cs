using System;
using System.IO;

namespace Hal.Host;

/// <summary>
/// The phone's flash as a file of fixed size (the `--flash FILE` image). Each write is flushed
/// to disk before returning, as a flash write is durable once it completes.
/// </summary>
public sealed class FileFlashRegion : IFlashRegion, IDisposable
{
    private readonly FileStream _file;

    public FileFlashRegion(string path, int size)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (_file.Length < size)
        {
            // Erased flash reads as 0xFF.
            _file.Seek(_file.Length, SeekOrigin.Begin);
            byte[] erased = new byte[size - _file.Length];
            Array.Fill(erased, (byte)0xFF);
            _file.Write(erased, 0, erased.Length);
            _file.Flush(true);
        }

        Size = size;
    }

    public int Size { get; }

    public void Read(int offset, byte[] buffer, int index, int count)
    {
        Check(offset, count);
        _file.Seek(offset, SeekOrigin.Begin);
        _file.ReadExactly(buffer, index, count);
    }

    public void Write(int offset, byte[] data, int index, int count)
    {
        Check(offset, count);
        _file.Seek(offset, SeekOrigin.Begin);
        _file.Write(data, index, count);
        _file.Flush(true);
    }

    public void Dispose()
    {
        _file.Dispose();
    }

    private void Check(int offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "outside the flash region");
        }
    }
}
