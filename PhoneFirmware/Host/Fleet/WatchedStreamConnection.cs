using System;
using System.Net;
using System.Net.Sockets;
using Hal;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// A fleet phone's TCP connection, driven by its <see cref="FleetWorker"/> alone: a non-blocking
/// socket that never starts an async operation, so the runtime's own socket engine never watches
/// it (once it did, every frame woke that engine's thread as well as the worker, and every connect
/// finished on a pool thread that woke the worker through its wake socket). The connect's end is
/// reported by the worker's readiness set (writable), and the state is what the connect, the last
/// receive or send found: no poll or FIONREAD each time the core looks, as TcpStreamConnection's
/// State does (two system calls a look).
/// </summary>
public sealed class WatchedStreamConnection : IStreamConnection, IDisposable
{
    // A send that finds the socket's buffer full waits this long for room, then the link fails.
    private const int SendStallMicroseconds = 1_000_000;

    private readonly Socket _socket;
    private readonly FleetNetwork _network;
    private StreamState _state = StreamState.Connecting;
    private bool _closed;

    public WatchedStreamConnection(IPAddress address, int port, FleetNetwork network)
    {
        _network = network;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
        try
        {
            _socket.Connect(new IPEndPoint(address, port));
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // The usual case: the handshake goes on; the worker reports its end.
        }
        catch (SocketException)
        {
            _state = StreamState.Failed;
        }

        // Watched for its connect's end in every case: a connected or failed socket is reported at once.
        network.Worker.WatchConnect(_socket, network.Owner!, this);
    }

    public StreamState State => _state;

    /// <summary>The socket, for the worker's readiness set; never read or written but through this class.</summary>
    public Socket Socket => _socket;

    /// <summary>On the worker's thread, when the socket was reported writable (or in error): the connect's outcome.</summary>
    public bool ConnectEnded()
    {
        if (_state == StreamState.Connecting)
        {
            object? error = _socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error);
            _state = error is int code && code == 0 ? StreamState.Connected : StreamState.Failed;
        }

        return _state == StreamState.Connected;
    }

    public void Send(byte[] data, int offset, int count)
    {
        int sent = 0;
        while (_state == StreamState.Connected && sent < count)
        {
            int wrote = _socket.Send(data, offset + sent, count - sent, SocketFlags.None, out SocketError error);
            if (error == SocketError.Success)
            {
                sent += wrote;
            }
            else if (error != SocketError.WouldBlock || !_socket.Poll(SendStallMicroseconds, SelectMode.SelectWrite))
            {
                _state = StreamState.Failed;
            }
        }
    }

    public int Receive(byte[] buffer, int offset, int count)
    {
        if (_state != StreamState.Connected)
        {
            return 0;
        }

        int received = _socket.Receive(buffer, offset, count, SocketFlags.None, out SocketError error);
        if (error == SocketError.Success)
        {
            if (received == 0)
            {
                _state = StreamState.Closed; // the peer's FIN
            }

            return received;
        }

        if (error != SocketError.WouldBlock)
        {
            _state = StreamState.Failed;
        }

        return 0;
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        bool connected = _state == StreamState.Connected;
        _state = StreamState.Closed;
        _network.Worker.Unwatch(_socket);
        _network.Closed(this);
        try
        {
            if (connected)
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

    public void Dispose()
    {
        Close();
    }
}
