using System;
using Hal;

namespace Tests.Portable.Support;

/// <summary>Flash in memory, erased to 0xFF, that can lose power after a given number of bytes written.</summary>
public sealed class MemoryFlash : IFlashRegion
{
    private readonly byte[] _bytes;
    private int _bytesUntilCut = -1;

    public MemoryFlash(int size)
    {
        _bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            _bytes[i] = 0xFF;
        }
    }

    public int Size => _bytes.Length;

    public int Writes { get; private set; }

    public byte[] Bytes => _bytes;

    /// <summary>The next writes stop after <paramref name="bytes"/> more bytes and throw (also when that is exactly the end of a write).</summary>
    public void CutPowerAfter(int bytes)
    {
        _bytesUntilCut = bytes;
    }

    public void Read(int offset, byte[] buffer, int index, int count)
    {
        Array.Copy(_bytes, offset, buffer, index, count);
    }

    public void Write(int offset, byte[] data, int index, int count)
    {
        Writes++;
        for (int i = 0; i < count; i++)
        {
            if (_bytesUntilCut == 0)
            {
                _bytesUntilCut = -1;
                throw new InvalidOperationException("power cut");
            }

            if (_bytesUntilCut > 0)
            {
                _bytesUntilCut--;
            }

            _bytes[offset + i] = data[index + i];
        }

        if (_bytesUntilCut == 0 && count > 0)
        {
            // The cut falls exactly at the end of this write: the bytes are in, the phone is not.
            _bytesUntilCut = -1;
            throw new InvalidOperationException("power cut");
        }
    }
}
