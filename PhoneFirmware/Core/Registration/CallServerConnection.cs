using Hal;
using Protocol.Registration;

namespace PhoneFirmware.Core.Registration;

/// <summary>One TCP link to a call server, speaking registration frames.</summary>
public sealed class CallServerConnection
{
    // Reads of at most this many bytes, as many as a frame needs: the registration frames are a few
    // dozen bytes, and a buffer of a maximal frame (1,028 bytes) per link was most of what a
    // registration allocated and a registered set held for its link. The reader holds two maximal
    // frames, so a read of this size after an incomplete frame always fits.
    private const int ReceiveChunk = 128;

    private readonly IStreamConnection _stream;
    private readonly RegistrationFrameReader _reader = new RegistrationFrameReader();
    private readonly byte[] _receiveBuffer = new byte[ReceiveChunk];

    public CallServerConnection(IStreamConnection stream, string host, int port)
    {
        _stream = stream;
        Host = host;
        Port = port;
        Target = host + ":" + port.ToString(); // named in most events of a registration: built once
    }

    public string Host { get; }

    public int Port { get; }

    public string Target { get; }

    public StreamState State => _stream.State;

    public void Send(RegistrationMessage message)
    {
        byte[] frame = RegistrationCodec.Encode(message);
        _stream.Send(frame, 0, frame.Length);
    }

    /// <summary>
    /// The next complete message, or null. A malformed stream throws the project's parse error;
    /// the caller drops the connection, since framing cannot be trusted after it.
    /// </summary>
    public RegistrationMessage? Receive()
    {
        RegistrationMessage? message = _reader.TryRead();
        if (message != null)
        {
            return message;
        }

        // Until a frame is whole or nothing more has arrived: a long frame takes several reads.
        int count = _stream.Receive(_receiveBuffer, 0, _receiveBuffer.Length);
        while (count > 0)
        {
            _reader.Append(_receiveBuffer, 0, count);
            message = _reader.TryRead();
            if (message != null || count < _receiveBuffer.Length)
            {
                return message;
            }

            count = _stream.Receive(_receiveBuffer, 0, _receiveBuffer.Length);
        }

        return null;
    }

    public void Close()
    {
        _stream.Close();
    }
}
