using System;
using Hal;

namespace PhoneFirmware.Host.Fleet;

/// <summary>A phone's flash in memory (the fleet's default): erased (0xFF) at start, gone at exit.</summary>
public sealed class MemoryFlashRegion : IFlashRegion
{
    private readonly byte[] _bytes;

    public MemoryFlashRegion(int size)
    {
        _bytes = new byte[size];
        Array.Fill(_bytes, (byte)0xFF);
    }

    public int Size => _bytes.Length;

    public void Read(int offset, byte[] buffer, int index, int count)
    {
        Array.Copy(_bytes, offset, buffer, index, count);
    }

    public void Write(int offset, byte[] data, int index, int count)
    {
        Array.Copy(data, index, _bytes, offset, count);
    }
}
