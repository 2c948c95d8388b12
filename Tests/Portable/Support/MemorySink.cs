using System;
using Protocol.Tftp;

namespace Tests.Portable.Support;

/// <summary>Collects a transfer's bytes in memory.</summary>
public sealed class MemorySink : ITftpDataSink
{
    private byte[] _buffer = new byte[256];
    private int _length;

    public int Length => _length;

    public int Writes { get; private set; }

    public void Write(byte[] buffer, int offset, int count)
    {
        Writes++;
        if (_length + count > _buffer.Length)
        {
            int capacity = _buffer.Length * 2;
            while (capacity < _length + count)
            {
                capacity *= 2;
            }

            byte[] grown = new byte[capacity];
            Array.Copy(_buffer, grown, _length);
            _buffer = grown;
        }

        Array.Copy(buffer, offset, _buffer, _length, count);
        _length += count;
    }

    public byte[] ToArray()
    {
        byte[] result = new byte[_length];
        Array.Copy(_buffer, result, _length);
        return result;
    }
}
