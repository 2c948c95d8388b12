using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Tasks;

namespace Hal.Host;

/// <summary>
/// TLS over TCP with the same non-blocking face as <see cref="TcpStreamConnection"/>: connect and
/// handshake run in the background (State stays Connecting until both are done), a background
/// reader decrypts into a buffer that <see cref="Receive"/> drains. The core never knows.
/// </summary>
public sealed class TlsStreamConnection : IStreamConnection
{
    private readonly Socket _socket;
    private readonly string _host;
    private readonly TlsClientOptions _options;
    private readonly Action<string>? _failed;
    private readonly object _gate = new();
    private SslStream? _ssl;
    private byte[] _received = new byte[2048];
    private int _receivedCount;
    private bool _peerClosed;
    private bool _closed;
    private string? _failure;
    private bool _failureReported;
    private string? _refusal;

    /// <param name="failed">Told once, on the caller's thread, why the link failed (handshake refused, reset).</param>
    public TlsStreamConnection(IPAddress address, int port, TlsClientOptions options, Action<string>? failed)
    {
        _host = address.ToString();
        _options = options;
        _failed = failed;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _ = ConnectAndHandshake(new IPEndPoint(address, port));
    }

    public StreamState State
    {
        get
        {
            lock (_gate)
            {
                if (_failure != null)
                {
                    if (!_failureReported)
                    {
                        _failureReported = true;
                        _failed?.Invoke(_failure);
                    }

                    return StreamState.Failed;
                }

                if (_closed || (_peerClosed && _receivedCount == 0))
                {
                    return StreamState.Closed;
                }

                return _ssl != null ? StreamState.Connected : StreamState.Connecting;
            }
        }
    }

    public void Send(byte[] data, int offset, int count)
    {
        SslStream? ssl = _ssl;
        if (State != StreamState.Connected || ssl == null)
        {
            return;
        }

        try
        {
            ssl.Write(data, offset, count); // one writer: the phone's loop thread
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Fail("TLS write failed: " + e.Message);
        }
    }

    public int Receive(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            int taken = Math.Min(count, _receivedCount);
            Array.Copy(_received, 0, buffer, offset, taken);
            Array.Copy(_received, taken, _received, 0, _receivedCount - taken);
            _receivedCount -= taken;
            return taken;
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }

        _ssl?.Dispose();
        _socket.Dispose();
    }

    private async Task ConnectAndHandshake(IPEndPoint endpoint)
    {
        try
        {
            await _socket.ConnectAsync(endpoint).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Fail("TCP connect to " + endpoint + " failed: " + (e is SocketException socketError ? socketError.SocketErrorCode.ToString() : "closed"));
            return;
        }

        SslStream ssl = new(new NetworkStream(_socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            _refusal = _options.Refusal(certificate, errors, _host);
            return _refusal == null;
        });
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _host }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or ObjectDisposedException)
        {
            ssl.Dispose();
            Fail("TLS handshake with " + endpoint + " failed: " + (_refusal ?? Innermost(e).Message));
            return;
        }

        lock (_gate)
        {
            _ssl = ssl;
        }

        _ = ReadLoop(ssl);
    }

    // Decrypts whatever arrives into the buffer Receive drains; ends when the peer closes.
    private async Task ReadLoop(SslStream ssl)
    {
        byte[] chunk = new byte[2048];
        try
        {
            while (true)
            {
                int count = await ssl.ReadAsync(chunk).ConfigureAwait(false);
                lock (_gate)
                {
                    if (count == 0)
                    {
                        _peerClosed = true;
                        return;
                    }

                    if (_receivedCount + count > _received.Length)
                    {
                        Array.Resize(ref _received, Math.Max(_received.Length * 2, _receivedCount + count));
                    }

                    Array.Copy(chunk, 0, _received, _receivedCount, count);
                    _receivedCount += count;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            lock (_gate)
            {
                _peerClosed = true; // reset or closed under us: the core sees Closed once the buffer is drained
            }
        }
    }

    private void Fail(string reason)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _failure ??= reason;
            }
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException != null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
