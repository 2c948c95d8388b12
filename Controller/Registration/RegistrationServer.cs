using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using Controller.Forms;
using Controller.Tls;
using Protocol.Common;
using Protocol.Registration;

namespace Controller.Registration;

/// <summary>
/// The registration listener of one element: accepts phones over TCP (or TLS) and runs a
/// <see cref="RegistrationSession"/> per connection. Database access is serialised through
/// <paramref name="databaseGate"/> because one SQLite connection serves every server of the element.
/// </summary>
public sealed class RegistrationServer : IAsyncDisposable
{
    private const int MaximumFrameLength = RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    // Replies are small and sent synchronously; a peer that stops reading can hold a send this long.
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private readonly ElementForms _forms;
    private readonly object _databaseGate;
    private const int MinimumPoolThreads = 64;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<RegistrationSession, Connection> _live = new();
    private readonly RegistrationPolicy _policy;
    private readonly PinLockouts _lockouts;
    private readonly RegistrationTls? _tls;
    private Task? _acceptLoop;
    private int _malformedFrames;

    /// <param name="tls">When set, every connection is TLS with this certificate; the frames inside are the same.</param>
    public RegistrationServer(ElementForms forms, object databaseGate, IPAddress address, int port, RegistrationPolicy policy, RegistrationTls? tls = null)
    {
        _tls = tls;
        _forms = forms;
        _databaseGate = databaseGate;
        _policy = policy;
        _lockouts = new PinLockouts(policy);
        _listener = new TcpListener(address, port);
    }

    /// <summary>Raised after an RdnUpdate from another element changed the Remote Directory Numbers.</summary>
    public event Action<RegistrationMessage>? RdnUpdated;

    /// <summary>A TLS handshake failed: the peer's address and why (e.g. a plain-TCP phone, an untrusting phone).</summary>
    public event Action<string, string>? TlsHandshakeFailed;

    /// <summary>Reports each registration decision (for `controller demo` and the logs).</summary>
    public event Action<string, RegistrationMessage>? Replied;

    /// <summary>Each frame from a phone with the replies it got and whether the set is registered here as secondary (the web admin's registrations view).</summary>
    public event Action<string, RegistrationMessage, List<RegistrationMessage>, bool>? Decided;

    /// <summary>A phone's link closed: its MAC.</summary>
    public event Action<string>? Disconnected;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int MalformedFrames => _malformedFrames;

    public void Start()
    {
        RaiseThreadPoolFloor();
        _listener.Start();
        _acceptLoop = AcceptLoop();
    }

    // Links are served on the pool with synchronous sends and database writes, so a storm holds many
    // pool threads at once. Past its minimum the pool adds threads slowly (hill climbing, about two
    // a second), and a storm of 10,000 phones then waits on that, not on the CPU (measured: 28 % of
    // bare TCP at the default floor of one per CPU, 54 % with 64). A floor costs only idle threads.
    private static void RaiseThreadPoolFloor()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        if (workers < MinimumPoolThreads)
        {
            ThreadPool.SetMinThreads(MinimumPoolThreads, completionPorts);
        }
    }

    /// <summary>The sets registered right now: (MAC, DN).</summary>
    public List<(string Mac, string Dn)> LiveRegistrations()
    {
        List<(string, string)> list = new();
        foreach (RegistrationSession session in _live.Keys)
        {
            if (session.Mac != null && session.RegisteredDn != null)
            {
                list.Add((session.Mac, session.RegisteredDn));
            }
        }

        return list;
    }

    /// <summary>
    /// Re-examines every live registration after the forms changed: a set whose DN or Multiline
    /// IP Sets row is gone is told to clear its PIN and reset. Returns how many sets were told.
    /// </summary>
    public Task<int> RecheckAsync()
    {
        int told = 0;
        foreach (KeyValuePair<RegistrationSession, Connection> live in _live)
        {
            List<RegistrationMessage> frames;
            lock (_databaseGate)
            {
                frames = live.Key.Recheck();
            }

            foreach (RegistrationMessage frame in frames)
            {
                Send(live.Value, live.Key, frame);
            }

            told += frames.Count > 0 ? 1 : 0;
        }

        return Task.FromResult(told);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (Connection connection in _live.Values)
        {
            connection.Socket.Dispose();
        }

        if (_acceptLoop != null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            // Serve on the pool, so this loop goes straight back to accepting while the link is served.
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Server.Serve(state.Socket), (Server: this, Socket: socket), preferLocal: false);
        }
    }

    // One task per link, reading frames and answering each in turn. A plain link waits for data
    // with a zero-byte receive and borrows a pooled buffer only to read what has arrived, so the
    // thousands of registered, idle sets hold no read buffer.
    private async Task Serve(Socket socket)
    {
        RegistrationSession session = new(_forms, _policy, _lockouts);
        Connection connection = new(socket, _tls != null);
        _live[session] = connection;
        RegistrationFrameReader reader = new();
        SslStream? tls = null;
        byte[]? tlsBuffer = null;
        try
        {
            socket.NoDelay = true;
            socket.SendTimeout = (int)SendTimeout.TotalMilliseconds;
            if (_tls != null)
            {
                tls = await Handshake(connection).ConfigureAwait(false);
                if (tls == null)
                {
                    return;
                }

                tlsBuffer = new byte[MaximumFrameLength];
            }

            while (!_stop.IsCancellationRequested)
            {
                byte[] chunk;
                int count;
                if (tls != null)
                {
                    chunk = tlsBuffer!;
                    count = await tls.ReadAsync(chunk, _stop.Token).ConfigureAwait(false);
                }
                else
                {
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    chunk = ArrayPool<byte>.Shared.Rent(MaximumFrameLength);
                    count = socket.Receive(chunk, 0, MaximumFrameLength, SocketFlags.None);
                }

                try
                {
                    if (count == 0)
                    {
                        return;
                    }

                    // One maximal frame per read keeps the reader within its capacity whatever the peer sends.
                    reader.Append(chunk, 0, count);
                }
                finally
                {
                    if (tls == null)
                    {
                        ArrayPool<byte>.Shared.Return(chunk);
                    }
                }

                while (reader.TryRead() is RegistrationMessage message)
                {
                    List<RegistrationMessage> replies;
                    lock (_databaseGate)
                    {
                        replies = session.Handle(message, Environment.TickCount64);
                    }

                    if (session.LastFrameWasFromAnElement)
                    {
                        RdnUpdated?.Invoke(message);
                    }
                    else if (session.Mac != null)
                    {
                        Decided?.Invoke(session.Mac, message, replies, session.IsSecondaryRegistration);
                    }

                    foreach (RegistrationMessage reply in replies)
                    {
                        Send(connection, session, reply);
                    }
                }
            }
        }
        catch (ProtocolParseException e)
        {
            // Framing cannot be trusted after a malformed frame: say why, count it and drop the link.
            Interlocked.Increment(ref _malformedFrames);
            TrySend(connection, RegistrationMessage.Error(e.Message.Length > 200 ? e.Message[..200] : e.Message));
        }
        catch (IOException)
        {
        }
        catch (SocketException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _live.TryRemove(session, out _);
            if (session.Mac != null)
            {
                Disconnected?.Invoke(session.Mac);
            }

            tls?.Dispose();
            socket.Dispose();
        }
    }

    // TLS once the handshake is done (bounded, so a silent peer cannot hold it open); null when it failed.
    private async Task<SslStream?> Handshake(Connection connection)
    {
        SslStream ssl = new(new NetworkStream(connection.Socket, ownsSocket: false), leaveInnerStreamOpen: false);
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(_tls!.ServerOptions(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            if (!_stop.IsCancellationRequested)
            {
                string reason = e is OperationCanceledException ? "no handshake within " + HandshakeTimeout.TotalSeconds + " s" : Innermost(e).Message;
                TlsHandshakeFailed?.Invoke(connection.Peer, reason);
            }

            return null;
        }

        connection.Tls = ssl;
        return ssl;
    }

    // Replies and admin-triggered frames may come from different threads: one writer at a time per link.
    private void Send(Connection connection, RegistrationSession session, RegistrationMessage frame)
    {
        if (TrySend(connection, frame))
        {
            Replied?.Invoke(session.Mac ?? connection.Peer, frame);
        }
    }

    private static bool TrySend(Connection connection, RegistrationMessage frame)
    {
        byte[] bytes = RegistrationCodec.Encode(frame);
        try
        {
            lock (connection)
            {
                if (connection.UsesTls)
                {
                    connection.Tls?.Write(bytes, 0, bytes.Length); // nothing can go out during the handshake
                    return connection.Tls != null;
                }

                int sent = 0;
                while (sent < bytes.Length)
                {
                    sent += connection.Socket.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
                }

                return true;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            connection.Socket.Dispose(); // a link we cannot write to is done; its reader ends too
            return false;
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

    private sealed class Connection
    {
        public Connection(Socket socket, bool usesTls)
        {
            Socket = socket;
            UsesTls = usesTls;
        }

        public Socket Socket { get; }

        public bool UsesTls { get; }

        /// <summary>The TLS layer once its handshake is done; null on a plain link.</summary>
        public SslStream? Tls { get; set; }

        public string Peer
        {
            get
            {
                try
                {
                    return Socket.RemoteEndPoint?.ToString() ?? "?";
                }
                catch (ObjectDisposedException)
                {
                    return "?";
                }
            }
        }
    }
}
