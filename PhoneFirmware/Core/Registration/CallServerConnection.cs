using Hal;
using Protocol.Registration;

namespace PhoneFirmware.Core.Registration;

/// <summary>One TCP link to a call server, speaking registration frames.</summary>
public sealed class CallServerConnection
{
    private readonly IStreamConnection _stream;
    private readonly RegistrationFrameReader _reader = new RegistrationFrameReader();
    // One maximal frame per read keeps the reader within its capacity.
    private readonly byte[] _receiveBuffer = new byte[RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength];

    public CallServerConnection(IStreamConnection stream, string host, int port)
    {
        _stream = stream;
        Host = host;
        Port = port;
    }

    public string Host { get; }

    public int Port { get; }

    public string Target => Host + ":" + Port.ToString();

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

        int count = _stream.Receive(_receiveBuffer, 0, _receiveBuffer.Length);
        if (count > 0)
        {
            _reader.Append(_receiveBuffer, 0, count);
            return _reader.TryRead();
        }

        return null;
    }

    public void Close()
    {
        _stream.Close();
    }
}
