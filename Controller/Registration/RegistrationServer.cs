using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Forms;
using Protocol.Common;
using Protocol.Registration;

namespace Controller.Registration;

/// <summary>
/// The registration listener of one element: accepts phones over TCP and runs a
/// <see cref="RegistrationSession"/> per connection. Database access is serialised through
/// <paramref name="databaseGate"/> because one SQLite connection serves every server of the element.
/// </summary>
public sealed class RegistrationServer : IAsyncDisposable
{
    private readonly ElementForms _forms;
    private readonly object _databaseGate;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<RegistrationSession, Connection> _live = new();
    private Task? _acceptLoop;

    public RegistrationServer(ElementForms forms, object databaseGate, IPAddress address, int port)
    {
        _forms = forms;
        _databaseGate = databaseGate;
        _listener = new TcpListener(address, port);
    }

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
        RegistrationSession session = new(_forms);
        Connection connection = new(client);
        _live[session] = connection;
        string peer = client.Client.RemoteEndPoint?.ToString() ?? "?";
        RegistrationFrameReader reader = new();
        // One maximal frame per read keeps the reader within its capacity whatever the peer sends.
        byte[] buffer = new byte[RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength];
        NetworkStream? stream = null;
        try
        {
            stream = client.GetStream();
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
                        replies = session.Handle(message);
                    }

                    foreach (RegistrationMessage reply in replies)
                    {
                        byte[] frame = RegistrationCodec.Encode(reply);
                        await stream.WriteAsync(frame, _stop.Token).ConfigureAwait(false);
                        Replied?.Invoke(session.Mac ?? peer, reply);
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
            client.Dispose();
        }
    }

    private static void TrySendError(NetworkStream? stream, string text)
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
        }

        public TcpClient Client { get; }
    }
}
