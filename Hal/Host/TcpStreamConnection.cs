using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Hal.Host;

/// <summary>A TCP connection whose connect runs in the background and whose reads never block.</summary>
public sealed class TcpStreamConnection : IStreamConnection
{
    private readonly Socket _socket;
    private readonly Task _connect;
    private bool _closed;
    private bool _failed;

    public TcpStreamConnection(IPAddress address, int port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _socket.NoDelay = true;
        _connect = _socket.ConnectAsync(new IPEndPoint(address, port));
    }

    /// <summary>The socket itself, for a host loop that waits on readiness (`phone fleet`); never read it directly.</summary>
    public Socket PollHandle => _socket;

    /// <summary>Completes when the connect attempt ends, either way (a readiness loop wakes the phone then).</summary>
    public Task Connecting => _connect;

    public StreamState State
    {
        get
        {
            if (_failed)
            {
                return StreamState.Failed;
            }

            if (_closed)
            {
                return StreamState.Closed;
            }

            if (!_connect.IsCompleted)
            {
                return StreamState.Connecting;
            }

            if (_connect.IsFaulted || _connect.IsCanceled)
            {
                _failed = true;
                return StreamState.Failed;
            }

            if (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0)
            {
                _closed = true; // readable with nothing to read: the peer closed
                return StreamState.Closed;
            }

            return StreamState.Connected;
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
            _failed = true;
        }
        catch (ObjectDisposedException)
        {
            _closed = true;
        }
    }

    public int Receive(byte[] buffer, int offset, int count)
    {
        if (_closed || _failed || !_connect.IsCompletedSuccessfully)
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

            return _socket.Receive(buffer, offset, Math.Min(count, available), SocketFlags.None);
        }
        catch (SocketException)
        {
            _failed = true;
            return 0;
        }
    }

    public void Close()
    {
        _closed = true;
        try
        {
            if (_connect.IsCompletedSuccessfully)
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (SocketException)
        {
            // already gone
        }

        _socket.Dispose();
    }
}
