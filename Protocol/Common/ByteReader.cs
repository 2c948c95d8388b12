namespace Protocol.Common;

/// <summary>
/// Bounds-checked cursor over a received buffer: every read checks the remaining length
/// first and throws <see cref="ProtocolParseException"/> instead of reading past the end.
/// </summary>
public sealed class ByteReader
{
    private readonly byte[] _buffer;
    private readonly int _end;
    private int _position;

    public ByteReader(byte[] buffer, int offset, int count)
    {
        if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            throw new ProtocolParseException("buffer range out of bounds");
        }

        _buffer = buffer;
        _position = offset;
        _end = offset + count;
    }

    public int Position => _position;

    public int Remaining => _end - _position;

    public byte[] Buffer => _buffer;

    public byte ReadByte()
    {
        Require(1);
        return _buffer[_position++];
    }

    public ushort ReadUInt16()
    {
        Require(2);
        ushort value = BigEndian.ReadUInt16(_buffer, _position);
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Require(4);
        uint value = BigEndian.ReadUInt32(_buffer, _position);
        _position += 4;
        return value;
    }

    public byte[] ReadBytes(int count)
    {
        Require(count);
        byte[] result = new byte[count];
        System.Array.Copy(_buffer, _position, result, 0, count);
        _position += count;
        return result;
    }

    public void Skip(int count)
    {
        Require(count);
        _position += count;
    }

    private void Require(int count)
    {
        if (count < 0 || count > _end - _position)
        {
            throw new ProtocolParseException("truncated: needed " + count.ToString() + " bytes, " + (_end - _position).ToString() + " left");
        }
    }
}
