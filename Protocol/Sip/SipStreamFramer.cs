using System.Collections;
using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// Cuts SIP messages out of a byte stream (TCP, TLS) by Content-Length (RFC 3261 §18.3), which
/// a stream message must carry. CRLF keep-alives between messages (RFC 5626 §3.5.1) are skipped.
/// A message longer than <see cref="SipMessageParser.MaxMessageLength"/>, or one without
/// Content-Length, is a <see cref="ProtocolParseException"/>: the stream cannot be resynchronized,
/// so the caller closes the connection.
/// </summary>
public sealed class SipStreamFramer
{
    private readonly byte[] _buffer = new byte[SipMessageParser.MaxMessageLength];
    private readonly ArrayList _messages = new ArrayList();
    private int _length;

    public void Append(byte[] data, int offset, int count)
    {
        while (count > 0)
        {
            int room = _buffer.Length - _length;
            if (room == 0)
            {
                throw new ProtocolParseException("stream message longer than " + SipMessageParser.MaxMessageLength.ToString() + " bytes");
            }

            int take = count < room ? count : room;
            System.Array.Copy(data, offset, _buffer, _length, take);
            _length += take;
            offset += take;
            count -= take;
            Cut();
        }
    }

    /// <summary>The next complete message, or null.</summary>
    public SipMessage? Take()
    {
        if (_messages.Count == 0)
        {
            return null;
        }

        SipMessage next = (SipMessage)_messages[0]!;
        _messages.RemoveAt(0);
        return next;
    }

    private void Cut()
    {
        while (true)
        {
            int start = 0;
            while (start < _length && (_buffer[start] == '\r' || _buffer[start] == '\n'))
            {
                start++;
            }

            if (start > 0)
            {
                Consume(start);
            }

            int headerEnd = SipMessageParser.HeaderEnd(_buffer, 0, _length);
            if (headerEnd < 0)
            {
                return;
            }

            SipMessage head = SipMessageParser.ParseHeaders(_buffer, 0, headerEnd);
            string? contentLength = head.Get(SipHeaderNames.ContentLength);
            if (contentLength == null)
            {
                throw new ProtocolParseException("stream message without Content-Length");
            }

            int total = headerEnd + SipText.ParseNumber(contentLength, "Content-Length");
            if (total > _buffer.Length)
            {
                throw new ProtocolParseException("stream message longer than " + SipMessageParser.MaxMessageLength.ToString() + " bytes");
            }

            if (total > _length)
            {
                return;
            }

            _messages.Add(SipMessageParser.Parse(_buffer, 0, total));
            Consume(total);
        }
    }

    private void Consume(int count)
    {
        System.Array.Copy(_buffer, count, _buffer, 0, _length - count);
        _length -= count;
    }
}
