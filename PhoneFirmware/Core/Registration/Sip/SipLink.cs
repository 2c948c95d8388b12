using System.Collections;
using Hal;
using Protocol.Common;
using Protocol.Sip;

namespace PhoneFirmware.Core.Registration.Sip;

/// <summary>
/// Carries one SIP line's messages over the HAL sockets: over UDP one socket on the line's
/// port, each message a datagram; over TCP or TLS one connection to the current target (a new
/// target closes it and connects anew), messages cut from the stream by Content-Length
/// (<see cref="SipStreamFramer"/>). Targets are IPv4 addresses (no DNS here). Malformed input
/// is dropped and counted. Every change of <see cref="State"/> goes through Enter.
/// </summary>
public sealed class SipLink
{
    private readonly INetworkInterface _network;
    private readonly SipTransport _transport;
    private readonly byte[] _buffer = new byte[SipMessageParser.MaxMessageLength];
    private readonly ArrayList _pending = new ArrayList();
    private IDatagramSocket? _socket;
    private IStreamConnection? _stream;
    private SipStreamFramer _framer = new SipStreamFramer();
    private uint _streamAddress;
    private int _streamPort;

    public SipLink(INetworkInterface network, SipTransport transport)
    {
        _network = network;
        _transport = transport;
    }

    public SipLinkState State { get; private set; } = SipLinkState.Closed;

    /// <summary>The local port in the Via and Contact: the UDP socket's, or the one asked for on streams (5060 for any).</summary>
    public int LocalPort { get; private set; }

    /// <summary>Messages that did not parse (or overran a stream's bound), dropped.</summary>
    public int Malformed { get; private set; }

    /// <summary>Opens the UDP socket (port 0: any); streams open per target on the first send.</summary>
    public void Open(int localPort)
    {
        Close();

        // A stream binds no port of its own, so "any" (0) would put port 0 in the Contact: name SIP's default instead.
        LocalPort = localPort != 0 || _transport == SipTransport.Udp ? localPort : SipPhoneSettings.DefaultPort;
        if (_transport == SipTransport.Udp)
        {
            _socket = _network.OpenDatagram(localPort, false);
            LocalPort = _socket.LocalPort;
            Enter(SipLinkState.Open);
        }
    }

    /// <summary>Sends (or queues while connecting); false when the target is no IPv4 address or the link is broken.</summary>
    public bool Send(SipOutgoing outgoing)
    {
        uint address;
        if (!Ipv4.TryParse(outgoing.Host, out address))
        {
            return false;
        }

        if (_socket != null)
        {
            _socket.Send(outgoing.Bytes, 0, outgoing.Bytes.Length, address, outgoing.Port);
            return true;
        }

        if (_stream == null || _streamAddress != address || _streamPort != outgoing.Port)
        {
            CloseStream();
            _streamAddress = address;
            _streamPort = outgoing.Port;
            _framer = new SipStreamFramer();
            _stream = _network.Connect(address, outgoing.Port);
            Enter(SipLinkState.Connecting);
        }

        _pending.Add(outgoing.Bytes);
        return Flush();
    }

    /// <summary>The next message from the network with its source, or null; false in <paramref name="broken"/> when a stream closed or failed.</summary>
    public SipMessage? Receive(out string sourceHost, out int sourcePort, out bool broken)
    {
        sourceHost = string.Empty;
        sourcePort = 0;
        broken = false;
        if (_socket != null)
        {
            return ReceiveDatagram(out sourceHost, out sourcePort);
        }

        if (_stream == null)
        {
            return null;
        }

        sourceHost = Ipv4.Format(_streamAddress);
        sourcePort = _streamPort;
        if (!Flush())
        {
            broken = true;
            return null;
        }

        SipMessage? framed = _framer.Take();
        if (framed != null)
        {
            return framed;
        }

        int read = _stream.Receive(_buffer, 0, _buffer.Length);
        if (read > 0)
        {
            try
            {
                _framer.Append(_buffer, 0, read);
            }
            catch (ProtocolParseException)
            {
                // A stream that overran its bound cannot be re-synchronised: drop it.
                Malformed++;
                broken = true;
                CloseStream();
                return null;
            }

            return _framer.Take();
        }

        if (_stream.State == StreamState.Closed || _stream.State == StreamState.Failed)
        {
            broken = true;
            CloseStream();
        }

        return null;
    }

    public void Close()
    {
        CloseStream();
        if (_socket != null)
        {
            _socket.Close();
            _socket = null;
        }

        Enter(SipLinkState.Closed);
    }

    private SipMessage? ReceiveDatagram(out string sourceHost, out int sourcePort)
    {
        sourceHost = string.Empty;
        sourcePort = 0;
        while (true)
        {
            uint address;
            int port;
            int read = _socket!.Receive(_buffer, out address, out port);
            if (read < 0)
            {
                return null;
            }

            try
            {
                SipMessage message = SipMessageParser.Parse(_buffer, 0, read);
                sourceHost = Ipv4.Format(address);
                sourcePort = port;
                return message;
            }
            catch (ProtocolParseException)
            {
                Malformed++;
            }
        }
    }

    // Queued bytes go out once the stream is connected; false when it failed.
    private bool Flush()
    {
        if (_stream == null)
        {
            return false;
        }

        StreamState state = _stream.State;
        if (state == StreamState.Closed || state == StreamState.Failed)
        {
            CloseStream();
            return false;
        }

        if (state == StreamState.Connected)
        {
            Enter(SipLinkState.Open);
            for (int i = 0; i < _pending.Count; i++)
            {
                byte[] bytes = (byte[])_pending[i]!;
                _stream.Send(bytes, 0, bytes.Length);
            }

            _pending.Clear();
        }

        return true;
    }

    private void CloseStream()
    {
        _pending.Clear();
        if (_stream != null)
        {
            _stream.Close();
            _stream = null;
            Enter(_socket != null ? SipLinkState.Open : SipLinkState.Closed);
        }
    }

    private void Enter(SipLinkState next)
    {
        State = next;
    }
}
