using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Hal.Esp32;

/// <summary>
/// A TCP connection that never blocks the phone's step loop. nanoFramework's Socket.Connect
/// always blocks (the socket has no non-blocking mode in managed code: Connect polls for
/// writability with an infinite timeout), so the connect runs on its own short-lived thread;
/// afterwards reads are guarded by zero-timeout Poll and Available, as on the host.
/// A closed socket makes the real library throw ObjectDisposedException, not SocketException:
/// both end as a state, never as an exception out of this class.
/// The core bounds the connect with its own call-server timeout and closes us when it passes.
/// </summary>
public sealed class Esp32StreamConnection : IStreamConnection
{
    private readonly Socket _socket;
    private readonly IPEndPoint _remote;
    private readonly object _gate = new object();
    private StreamState _state = StreamState.Connecting;

    public Esp32StreamConnection(uint address, int port)
    {
        _remote = new IPEndPoint(Ipv4Address.ToIPAddress(address), port);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, true);
        }
        catch (SocketException)
        {
            // Nagle only delays our small frames; not worth failing the connection for.
        }

        Thread connector = new Thread(Connect);
        connector.Start();
    }

    public StreamState State
    {
        get
        {
            lock (_gate)
            {
                if (_state != StreamState.Connected)
                {
                    return _state;
                }

                try
                {
                    // Readable with nothing to read: the peer closed its side.
                    if (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0)
                    {
                        _state = StreamState.Closed;
                    }
                }
                catch (SocketException)
                {
                    _state = StreamState.Failed;
                }
                catch (ObjectDisposedException)
                {
                    // The real library's answer for a socket already closed underneath us.
                    _state = StreamState.Closed;
                }

                return _state;
            }
        }
    }

    public void Send(byte[] data, int offset, int count)
    {
        if (State != StreamState.Connected)
        {
            return;
        }

        try
        {
            int sent = 0;
            while (sent < count)
            {
                sent += _socket.Send(data, offset + sent, count - sent, SocketFlags.None);
            }
        }
        catch (SocketException)
        {
            SetState(StreamState.Failed);
        }
        catch (ObjectDisposedException)
        {
            SetState(StreamState.Closed);
        }
    }

    public int Receive(byte[] buffer, int offset, int count)
    {
        if (State != StreamState.Connected)
        {
            return 0;
        }

        try
        {
            int available = _socket.Available;
            if (available <= 0)
            {
                return 0;
            }

            return _socket.Receive(buffer, offset, available < count ? available : count, SocketFlags.None);
        }
        catch (SocketException)
        {
            SetState(StreamState.Failed);
            return 0;
        }
        catch (ObjectDisposedException)
        {
            SetState(StreamState.Closed);
            return 0;
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            if (_state == StreamState.Connecting || _state == StreamState.Connected)
            {
                _state = StreamState.Closed;
            }
        }

        try
        {
            // Also ends a connect still waiting on its thread: the native poll fails and the thread exits.
            _socket.Close();
        }
        catch (Exception)
        {
            // already gone
        }
    }

    private void Connect()
    {
        try
        {
            _socket.Connect(_remote);
            lock (_gate)
            {
                if (_state == StreamState.Connecting)
                {
                    _state = StreamState.Connected;
                }
            }
        }
        catch (Exception)
        {
            // Refused, unreachable, or closed by Close() while connecting.
            SetState(StreamState.Failed);
        }
    }

    private void SetState(StreamState failure)
    {
        lock (_gate)
        {
            if (_state == StreamState.Connecting || _state == StreamState.Connected)
            {
                _state = failure;
            }
        }
    }
}
