using System;

namespace Protocol.Common;

/// <summary>Growable big-endian writer for building packets (no System.IO on the device).</summary>
public sealed class ByteWriter
{
    private byte[] _buffer;
    private int _length;

    public ByteWriter(int initialCapacity)
    {
        _buffer = new byte[initialCapacity < 16 ? 16 : initialCapacity];
    }

    public int Length => _length;

    public void WriteByte(int value)
    {
        Ensure(1);
        _buffer[_length++] = (byte)value;
    }

    public void WriteUInt16(int value)
    {
        Ensure(2);
        BigEndian.WriteUInt16(_buffer, _length, value);
        _length += 2;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BigEndian.WriteUInt32(_buffer, _length, value);
        _length += 4;
    }

    public void WriteBytes(byte[] data, int offset, int count)
    {
        Ensure(count);
        Array.Copy(data, offset, _buffer, _length, count);
        _length += count;
    }

    public void WriteBytes(byte[] data)
    {
        WriteBytes(data, 0, data.Length);
    }

    public void WriteZeros(int count)
    {
        Ensure(count);
        _length += count; // the buffer is zeroed when allocated and never reused below _length
    }

    /// <summary>Overwrites two bytes already written (for length fields filled in afterwards).</summary>
    public void PatchUInt16(int position, int value)
    {
        if (position < 0 || position + 2 > _length)
        {
            throw new ArgumentOutOfRangeException(nameof(position));
        }

        BigEndian.WriteUInt16(_buffer, position, value);
    }

    public byte[] ToArray()
    {
        byte[] result = new byte[_length];
        Array.Copy(_buffer, 0, result, 0, _length);
        return result;
    }

    private void Ensure(int count)
    {
        if (_length + count <= _buffer.Length)
        {
            return;
        }

        int capacity = _buffer.Length * 2;
        while (capacity < _length + count)
        {
            capacity *= 2;
        }

        byte[] grown = new byte[capacity];
        Array.Copy(_buffer, 0, grown, 0, _length);
        _buffer = grown;
    }
}
