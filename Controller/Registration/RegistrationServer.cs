using System;
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
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly ElementForms _forms;
    private readonly object _databaseGate;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<RegistrationSession, Connection> _live = new();
    private readonly RegistrationPolicy _policy;
    private readonly PinLockouts _lockouts;
    private readonly RegistrationTls? _tls;
    private Task? _acceptLoop;

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

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int MalformedFrames => _malformedFrames;

    private int _malformedFrames;

    public void Start()
    {
        _listener.Start();
        _acceptLoop = AcceptLoop();
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
    public async Task<int> RecheckAsync()
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
                await SendAsync(live.Value, live.Key, frame).ConfigureAwait(false);
            }

            told += frames.Count > 0 ? 1 : 0;
        }

        return told;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (Connection connection in _live.Values)
        {
            connection.Client.Dispose();
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
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
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

            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        client.NoDelay = true;
        RegistrationSession session = new(_forms, _policy, _lockouts);
        Connection connection = new(client);
        _live[session] = connection;
        RegistrationFrameReader reader = new();
        // One maximal frame per read keeps the reader within its capacity whatever the peer sends.
        byte[] buffer = new byte[RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength];
        Stream? stream = null;
        try
        {
            stream = await OpenStream(connection).ConfigureAwait(false);
            if (stream == null)
            {
                return;
            }

            while (!_stop.IsCancellationRequested)
            {
                int count = await stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (count == 0)
                {
                    return;
                }

                reader.Append(buffer, 0, count);
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

                    foreach (RegistrationMessage reply in replies)
                    {
                        await SendAsync(connection, session, reply).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (ProtocolParseException e)
        {
            // Framing cannot be trusted after a malformed frame: say why, count it and drop the link.
            Interlocked.Increment(ref _malformedFrames);
            TrySendError(stream, e.Message);
        }
        catch (IOException)
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
            stream?.Dispose();
            client.Dispose();
        }
    }

    // Plain TCP, or TLS once the handshake is done (bounded, so a silent peer cannot hold it open).
    private async Task<Stream?> OpenStream(Connection connection)
    {
        NetworkStream network = connection.Client.GetStream();
        if (_tls == null)
        {
            connection.Stream = network;
            return network;
        }

        SslStream ssl = new(network, leaveInnerStreamOpen: false);
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(_tls.ServerOptions(), timeout.Token).ConfigureAwait(false);
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

        connection.Stream = ssl;
        return ssl;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException != null)
        {
            e = e.InnerException;
        }

        return e;
    }

    // Replies and admin-triggered frames may come from different threads: one writer at a time per link.
    private async Task SendAsync(Connection connection, RegistrationSession session, RegistrationMessage frame)
    {
        byte[] bytes = RegistrationCodec.Encode(frame);
        await connection.WriteGate.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            if (connection.Stream == null)
            {
                return; // still in the TLS handshake: nothing can be sent yet
            }

            await connection.Stream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            connection.WriteGate.Release();
        }

        Replied?.Invoke(session.Mac ?? connection.Peer, frame);
    }

    private static void TrySendError(Stream? stream, string text)
    {
        if (stream == null)
        {
            return;
        }

        try
        {
            byte[] frame = RegistrationCodec.Encode(RegistrationMessage.Error(text.Length > 200 ? text[..200] : text));
            stream.Write(frame, 0, frame.Length);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed class Connection
    {
        public Connection(TcpClient client)
        {
            Client = client;
            Peer = client.Client.RemoteEndPoint?.ToString() ?? "?";
        }

        public TcpClient Client { get; }

        public SemaphoreSlim WriteGate { get; } = new(1, 1);

        /// <summary>The link frames go over (TLS or the plain network stream); null until a TLS handshake is done.</summary>
        public Stream? Stream { get; set; }

        public string Peer { get; } = string.Empty;
    }
}
