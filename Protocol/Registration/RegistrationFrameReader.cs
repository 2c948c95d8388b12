using Protocol.Common;

namespace Protocol.Registration;

/// <summary>
/// Cuts a TCP byte stream into frames. Holds at most one maximal frame plus what one read adds;
/// a peer sending more unread bytes than that, a bad version or an oversized length gets the
/// project's parse error, after which the connection cannot be trusted and is closed.
/// </summary>
public sealed class RegistrationFrameReader
{
    public const int Capacity = 2 * (RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength);

    private const int InitialSize = 128;
    private static readonly byte[] NoBytes = new byte[0];

    // Grown on demand up to Capacity: a controller holds one reader per connected set, and most
    // frames are a few dozen bytes, so a full-capacity buffer per link would be mostly idle memory.
    private byte[] _buffer = NoBytes;
    private int _length;

    public int Buffered => _length;

    public void Append(byte[] data, int offset, int count)
    {
        if (count < 0 || offset < 0 || offset > data.Length - count)
        {
            throw new ProtocolParseException("append range out of bounds");
        }

        if (count > Capacity - _length)
        {
            throw new ProtocolParseException("peer sent more than " + Capacity.ToString() + " unread bytes");
        }

        if (_length + count > _buffer.Length)
        {
            int size = _buffer.Length * 2;
            size = size < InitialSize ? InitialSize : size;
            size = size < _length + count ? _length + count : size;
            byte[] grown = new byte[size > Capacity ? Capacity : size];
            System.Array.Copy(_buffer, 0, grown, 0, _length);
            _buffer = grown;
        }

        System.Array.Copy(data, offset, _buffer, _length, count);
        _length += count;
    }

    /// <summary>The next complete frame, or null until one has arrived.</summary>
    public RegistrationMessage? TryRead()
    {
        if (_length < RegistrationCodec.HeaderLength)
        {
            return null;
        }

        int version = _buffer[0];
        if (version != RegistrationCodec.Version)
        {
            throw new ProtocolParseException("unsupported protocol version " + version.ToString());
        }

        int type = _buffer[1];
        int bodyLength = BigEndian.ReadUInt16(_buffer, 2);
        if (bodyLength > RegistrationCodec.MaximumBodyLength)
        {
            throw new ProtocolParseException("frame body of " + bodyLength.ToString() + " bytes exceeds " + RegistrationCodec.MaximumBodyLength.ToString());
        }

        int frameLength = RegistrationCodec.HeaderLength + bodyLength;
        if (_length < frameLength)
        {
            return null;
        }

        RegistrationMessage message = RegistrationCodec.DecodeBody(type, _buffer, RegistrationCodec.HeaderLength, bodyLength);
        System.Array.Copy(_buffer, frameLength, _buffer, 0, _length - frameLength);
        _length -= frameLength;
        return message;
    }
}
