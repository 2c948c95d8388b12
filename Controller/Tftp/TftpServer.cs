using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Protocol.Tftp;

namespace Controller.Tftp;

/// <summary>
/// The element's TFTP server: read-only, one socket (and so one transfer ID) per transfer, the
/// sans-IO <see cref="TftpReadSession"/> doing the protocol. Requests beyond the concurrency
/// cap, write requests and names outside the root get a clear ERROR and change nothing. A request
/// repeated by a client whose transfer is already running (its RRQ was retransmitted before our
/// first answer arrived) does not start a second transfer to the same port: it is handed to the
/// running transfer, which answers it at once if that first answer is still unacknowledged.
/// </summary>
public sealed class TftpServer : IDisposable
{
    private readonly TftpServerOptions _options;
    private readonly TftpRootDirectory _root;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    // Client transfer IDs with a transfer running (until = MaxValue) or just finished (until = a few
    // seconds on): a late retransmitted RRQ from the same port must not start a stray second transfer.
    private readonly ConcurrentDictionary<IPEndPoint, ClientTransfer> _running = new();
    // Transfers running per client address (any port), bounded by MaxTransfersPerSource.
    private readonly ConcurrentDictionary<IPAddress, int> _perSource = new();
    private const long LingerMs = 3000;
    private Thread? _thread;
    private int _active;
    private long _completed;
    private long _failed;
    private long _refused;
    private long _duplicates;

    public TftpServer(TftpServerOptions options)
    {
        _options = options;
        _root = new TftpRootDirectory(options.RootDirectory);
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _listener.Bind(new IPEndPoint(options.BindAddress, options.Port));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public int ActiveTransfers => Volatile.Read(ref _active);

    public long CompletedTransfers => Interlocked.Read(ref _completed);

    public long FailedTransfers => Interlocked.Read(ref _failed);

    /// <summary>Requests answered with an ERROR (refused, not found, busy, malformed).</summary>
    public long RefusedRequests => Interlocked.Read(ref _refused);

    /// <summary>Requests that did not start a transfer because the same client address and port already has one.</summary>
    public long DuplicateRequests => Interlocked.Read(ref _duplicates);

    /// <summary>Raised after each transfer or refusal with a one-line description, for the log.</summary>
    public event Action<string>? Logged;

    public void Start()
    {
        _thread = new Thread(Listen) { IsBackground = true, Name = "tftp-listener" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _thread?.Join(2000);
        _stop.Dispose();
    }

    private void Listen()
    {
        byte[] buffer = new byte[1500];
        while (!_stop.IsCancellationRequested)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int length;
            try
            {
                length = _listener.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            HandleRequest(buffer, length, (IPEndPoint)from);
        }
    }

    private void HandleRequest(byte[] buffer, int length, IPEndPoint client)
    {
        TftpPacket request;
        try
        {
            request = TftpPacket.Parse(buffer, 0, length);
        }
        catch (Protocol.Common.ProtocolParseException e)
        {
            Refuse(client, TftpErrorCode.IllegalOperation, "malformed request: " + e.Message);
            return;
        }

        if (request.Opcode == TftpOpcode.WriteRequest)
        {
            Refuse(client, TftpErrorCode.AccessViolation, "this server is read-only");
            return;
        }

        if (request.Opcode != TftpOpcode.ReadRequest)
        {
            Refuse(client, TftpErrorCode.UnknownTransferId, "no transfer on the request port");
            return;
        }

        long now = _clock.ElapsedMilliseconds;
        if (_running.TryGetValue(client, out ClientTransfer? existing) && Volatile.Read(ref existing.Until) > now)
        {
            // A retransmitted request: its transfer answers it (at once if it is still waiting
            // for the client's first ACK) or has just finished.
            Interlocked.Increment(ref _duplicates);
            Interlocked.Increment(ref existing.RepeatedRequests);
            return;
        }

        if (_running.Count > 4096)
        {
            foreach (System.Collections.Generic.KeyValuePair<IPEndPoint, ClientTransfer> entry in _running)
            {
                if (Volatile.Read(ref entry.Value.Until) <= now)
                {
                    _running.TryRemove(entry.Key, out _);
                }
            }
        }

        ClientTransfer ticket = new();
        _running[client] = ticket;

        if (_perSource.AddOrUpdate(client.Address, 1, (_, count) => count + 1) > _options.MaxTransfersPerSource)
        {
            ReleaseSource(client.Address);
            _running.TryRemove(client, out _);
            Refuse(client, TftpErrorCode.NotDefined, "too many transfers from " + client.Address + ": " + _options.MaxTransfersPerSource + " running, try again");
            return;
        }

        if (Interlocked.Increment(ref _active) > _options.MaxConcurrentTransfers)
        {
            Interlocked.Decrement(ref _active);
            ReleaseSource(client.Address);
            _running.TryRemove(client, out _);
            Refuse(client, TftpErrorCode.NotDefined, "server busy: " + _options.MaxConcurrentTransfers + " transfers running, try again");
            return;
        }

        ITftpFileSource source;
        if (_options.VirtualFiles.TryGetValue(request.FileName, out byte[]? content))
        {
            source = new MemoryTftpSource(content);
        }
        else
        {
            FileStream? stream = _root.Open(request.FileName, out string refusal);
            if (stream == null)
            {
                Interlocked.Decrement(ref _active);
                ReleaseSource(client.Address);
                _running.TryRemove(client, out _);
                Refuse(client, refusal == "file not found" ? TftpErrorCode.FileNotFound : TftpErrorCode.AccessViolation, refusal + ": " + request.FileName);
                return;
            }

            source = new FileTftpSource(stream);
        }

        Thread transfer = new(() => RunTransfer(request, source, client, ticket)) { IsBackground = true, Name = "tftp-transfer" };
        transfer.Start();
    }

    // One transfer on its own socket (a fresh transfer ID). Blocking receives with a timeout up
    // to the session's next deadline, and the allocation-free SocketAddress calls: per block, one
    // recvfrom and one sendto, nothing for the garbage collector.
    private void RunTransfer(TftpPacket request, ITftpFileSource source, IPEndPoint client, ClientTransfer ticket)
    {
        using IDisposable? disposeSource = source as IDisposable;
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        TftpReadSession session;
        try
        {
            socket.Bind(new IPEndPoint(_options.BindAddress, 0));
            session = new TftpReadSession(request, source, new TftpSessionLimits
            {
                MaximumBlockSize = _options.MaximumBlockSize,
                MaximumWindowSize = _options.MaximumWindowSize,
                RetransmitMs = _options.RetransmitMs,
                MaximumRetries = _options.MaximumRetries,
            });
            SocketAddress clientAddress = client.Serialize();
            SocketAddress from = new(AddressFamily.InterNetwork);
            byte[] buffer = new byte[1500];
            int timeout = 0;
            int repeatedRequests = 0;
            bool answered = false;
            session.Start(_clock.ElapsedMilliseconds);
            while (!_stop.IsCancellationRequested)
            {
                long now = _clock.ElapsedMilliseconds;
                int repeats = Volatile.Read(ref ticket.RepeatedRequests);
                if (repeats != repeatedRequests)
                {
                    // A repeat that came in before our first answer went out (a slow start) is
                    // answered by that answer: a second OACK makes atftp abort.
                    repeatedRequests = repeats;
                    if (answered)
                    {
                        session.OnRequestRepeated(now);
                    }
                }

                TftpDatagram? datagram;
                while ((datagram = session.Poll(now)) != null)
                {
                    socket.SendTo(datagram.Data.AsSpan(0, datagram.Length), SocketFlags.None, clientAddress);
                }

                answered = true;

                if (session.State == TftpTransferState.Completed || session.State == TftpTransferState.Failed)
                {
                    break;
                }

                // Wake at the deadline at the latest (earlier is harmless: the loop just comes round),
                // and at least every 250 ms to notice Dispose; change the socket option only when needed.
                int wait = (int)Math.Clamp(session.NextDeadline - now, 1, 250);
                if (wait < timeout || wait > timeout + 50)
                {
                    timeout = wait;
                    socket.ReceiveTimeout = timeout;
                }

                int length;
                try
                {
                    length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
                {
                    continue;
                }

                if (!SameEndPoint(from, clientAddress))
                {
                    // Another transfer ID: tell it so and carry on (RFC 1350 §4).
                    byte[] error = TftpPacketWriter.Error(TftpErrorCode.UnknownTransferId, "unknown transfer ID");
                    socket.SendTo(error, SocketFlags.None, from);
                    continue;
                }

                session.OnReceive(buffer, 0, length, _clock.ElapsedMilliseconds);
            }
        }
        catch (SocketException e)
        {
            Finish(false, request.FileName, client, "socket error: " + e.Message);
            return;
        }
        finally
        {
            Volatile.Write(ref ticket.Until, _clock.ElapsedMilliseconds + LingerMs);
            Interlocked.Decrement(ref _active);
            ReleaseSource(client.Address);
        }

        bool ok = session.State == TftpTransferState.Completed;
        Finish(ok, request.FileName, client, ok ? session.BytesSent + " bytes, blksize " + session.BlockSize + ", window " + session.WindowSize : session.ErrorMessage ?? "stopped");
    }

    private void ReleaseSource(IPAddress address)
    {
        // Drop the entry at zero so a flood from many addresses leaves nothing behind.
        if (_perSource.AddOrUpdate(address, 0, (_, count) => count - 1) <= 0)
        {
            _perSource.TryRemove(new System.Collections.Generic.KeyValuePair<IPAddress, int>(address, 0));
        }
    }

    // Family, port and IPv4 address (bytes 0-7 of a sockaddr_in); the padding is not compared.
    private static bool SameEndPoint(SocketAddress a, SocketAddress b)
    {
        if (a.Size < 8 || b.Size < 8)
        {
            return false;
        }

        for (int i = 0; i < 8; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private void Finish(bool ok, string file, IPEndPoint client, string detail)
    {
        Interlocked.Increment(ref ok ? ref _completed : ref _failed);
        Logged?.Invoke("tftp " + (ok ? "sent " : "failed ") + file + " to " + client + ": " + detail);
    }

    private void Refuse(IPEndPoint client, TftpErrorCode code, string message)
    {
        Interlocked.Increment(ref _refused);
        Logged?.Invoke("tftp refused " + client + ": " + message);
        try
        {
            _listener.SendTo(TftpPacketWriter.Error(code, message), client);
        }
        catch (SocketException)
        {
            // The client is gone; nothing to tell.
        }
    }

    // One client transfer ID's transfer, shared by the listener (which counts repeated requests)
    // and the transfer's thread (which answers them and sets the linger time when it ends).
    private sealed class ClientTransfer
    {
        public long Until = long.MaxValue;
        public int RepeatedRequests;
    }
}
