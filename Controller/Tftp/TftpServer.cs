using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Protocol.Tftp;

namespace Controller.Tftp;

/// <summary>
/// The element's TFTP server: read-only, one socket (and so one transfer ID) per transfer, the
/// sans-IO <see cref="TftpReadSession"/> doing the protocol (<see cref="TftpTransfer"/>). Requests
/// beyond the concurrency cap, write requests and names outside the root get a clear ERROR and
/// change nothing. A client address and port has at most one transfer at a time
/// (<see cref="TftpClientTicket"/>): a request while its transfer runs is a retransmission and is
/// handed to the running transfer (which answers it at once if its first answer is still
/// unacknowledged); once the transfer has ended (its final ACK received), the next request from
/// that address and port starts a new transfer at once. Past the concurrency cap a request waits,
/// unanswered, in an admission queue and starts when a transfer ends (its client retransmits
/// meanwhile, absorbed like any repeat): a boot storm is served in turn, not told "busy".
/// </summary>
public sealed class TftpServer : IDisposable
{
    private readonly TftpServerOptions _options;
    private readonly TftpRootDirectory _root;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    // Client transfer IDs with a transfer running; every ticket change is made under this lock.
    private readonly Dictionary<IPEndPoint, TftpClientTicket> _running = new();
    // Tickets per client address (any port), bounded by MaxTransfersPerSource; under the same lock.
    private readonly Dictionary<IPAddress, int> _perSource = new();
    private readonly object _gate = new();
    // Requests past the concurrency cap, oldest first (TftpServerOptions.MaxQueuedRequests); under the lock.
    private readonly Queue<QueuedRequest> _queue = new();
    private Thread? _thread;
    private int _active;
    private long _completed;
    private long _failed;
    private long _refused;
    private long _duplicates;
    private long _queuedRequests;
    private long _expiredRequests;

    public TftpServer(TftpServerOptions options)
    {
        _options = options;
        _root = new TftpRootDirectory(options.RootDirectory);
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        // A boot storm sends thousands of read requests at once: the default buffer (a few hundred
        // datagrams) dropped most of them, and each loss cost the phone a retransmission timeout.
        ListenerReceiveBufferSize = Hal.Host.SocketReceiveBuffer.Enlarge(_listener, ListenerReceiveBufferBytes);
        _listener.Bind(new IPEndPoint(options.BindAddress, options.Port));
    }

    /// <summary>The request socket's SO_RCVBUF request.</summary>
    public const int ListenerReceiveBufferBytes = 8 * 1024 * 1024;

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>What the kernel granted the request socket (capped by net.core.rmem_max unless the server runs as root).</summary>
    public int ListenerReceiveBufferSize { get; }

    public int ActiveTransfers => Volatile.Read(ref _active);

    public long CompletedTransfers => Interlocked.Read(ref _completed);

    public long FailedTransfers => Interlocked.Read(ref _failed);

    /// <summary>Requests answered with an ERROR (refused, not found, busy, malformed).</summary>
    public long RefusedRequests => Interlocked.Read(ref _refused);

    /// <summary>Retransmitted requests absorbed by the transfer already running for the same client address and port.</summary>
    public long DuplicateRequests => Interlocked.Read(ref _duplicates);

    /// <summary>Requests that waited in the admission queue (past the concurrency cap) before their transfer started or they expired.</summary>
    public long QueuedRequests => Interlocked.Read(ref _queuedRequests);

    /// <summary>Queued requests dropped unanswered because their client had not asked again for TftpServerOptions.QueuedRequestLifetimeMs.</summary>
    public long ExpiredRequests => Interlocked.Read(ref _expiredRequests);

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

        TftpClientTicket? ticket = null;
        lock (_gate)
        {
            if (_running.TryGetValue(client, out TftpClientTicket? existing))
            {
                // A retransmitted request: its transfer answers it (at once if it is still waiting
                // for the client's first ACK). A transfer leaves the table the moment it ends.
                Interlocked.Increment(ref _duplicates);
                existing.CountRepeat(_clock.ElapsedMilliseconds);
                return;
            }

            _perSource.TryGetValue(client.Address, out int fromSource);
            if (fromSource < _options.MaxTransfersPerSource)
            {
                _perSource[client.Address] = fromSource + 1;
                ticket = new TftpClientTicket();
                ticket.Requested(_clock.ElapsedMilliseconds);
                _running[client] = ticket;
            }
        }

        if (ticket == null)
        {
            Refuse(client, TftpErrorCode.NotDefined, "too many transfers from " + client.Address + ": " + _options.MaxTransfersPerSource + " running, try again");
            return;
        }

        Admit(request, client, ticket);
    }

    // Takes a transfer slot, or a place in the admission queue, or refuses "busy" (and forgets the ticket).
    private void Admit(TftpPacket request, IPEndPoint client, TftpClientTicket ticket)
    {
        ITftpFileSource? source = OpenSource(request, client, ticket);
        if (source == null)
        {
            return;
        }

        bool slot = false;
        bool queued = false;
        lock (_gate)
        {
            if (_active < _options.MaxConcurrentTransfers)
            {
                Interlocked.Increment(ref _active);
                slot = true;
            }
            else if (_queue.Count < _options.MaxQueuedRequests)
            {
                // The file is opened again when the transfer starts: a queue of thousands holds no handles.
                ticket.Enter(TftpClientTicketState.Queued);
                _queue.Enqueue(new QueuedRequest(request, client, ticket, _clock.ElapsedMilliseconds));
                Interlocked.Increment(ref _queuedRequests);
                queued = true;
            }
        }

        if (slot)
        {
            Launch(request, client, ticket, source);
            return;
        }

        (source as IDisposable)?.Dispose();
        if (!queued)
        {
            End(client, ticket);
            Refuse(client, TftpErrorCode.NotDefined, "server busy: " + _options.MaxConcurrentTransfers + " transfers running and " + _options.MaxQueuedRequests + " waiting, try again");
        }
    }

    // The file or virtual file the request names, or null after refusing it (and forgetting the ticket).
    private ITftpFileSource? OpenSource(TftpPacket request, IPEndPoint client, TftpClientTicket ticket)
    {
        if (_options.VirtualFiles.TryGetValue(request.FileName, out byte[]? content))
        {
            return new MemoryTftpSource(content);
        }

        FileStream? stream = _root.Open(request.FileName, out string refusal);
        if (stream == null)
        {
            End(client, ticket);
            Refuse(client, refusal == "file not found" ? TftpErrorCode.FileNotFound : TftpErrorCode.AccessViolation, refusal + ": " + request.FileName);
            return null;
        }

        return new FileTftpSource(stream);
    }

    // Starts the transfer's thread on a slot already taken.
    private void Launch(TftpPacket request, IPEndPoint client, TftpClientTicket ticket, ITftpFileSource source)
    {
        ticket.Enter(TftpClientTicketState.Live);
        TftpTransfer transfer = new(request, source, client, ticket, _options, _clock, _stop.Token);
        Thread thread = new(() => Run(transfer)) { IsBackground = true, Name = "tftp-transfer" };
        thread.Start();
    }

    private void Run(TftpTransfer transfer)
    {
        string detail;
        bool ok;
        try
        {
            ok = transfer.Run(out detail);
        }
        finally
        {
            End(transfer.Client, transfer.Ticket);
            PassSlotOn();
        }

        Interlocked.Increment(ref ok ? ref _completed : ref _failed);
        Logged?.Invoke("tftp " + (ok ? "sent " : "failed ") + transfer.FileName + " to " + transfer.Client + ": " + detail);
    }

    // A slot came free: the oldest queued request still worth starting takes it, or the slot is released.
    private void PassSlotOn()
    {
        while (true)
        {
            QueuedRequest? next = null;
            lock (_gate)
            {
                long now = _clock.ElapsedMilliseconds;
                while (_queue.Count > 0)
                {
                    QueuedRequest oldest = _queue.Dequeue();
                    // Its client's retransmissions keep it alive: only a client that stopped asking has given up.
                    if (now - oldest.Ticket.LastRequestAt <= _options.QueuedRequestLifetimeMs && !_stop.IsCancellationRequested)
                    {
                        next = oldest;
                        break;
                    }

                    // Its client has given up (or, if it asks again, queues afresh): drop it unanswered.
                    Interlocked.Increment(ref _expiredRequests);
                    End(oldest.Client, oldest.Ticket);
                }

                if (next == null)
                {
                    Interlocked.Decrement(ref _active);
                    return;
                }
            }

            ITftpFileSource? source = OpenSource(next.Request, next.Client, next.Ticket);
            if (source != null)
            {
                Launch(next.Request, next.Client, next.Ticket, source);
                return;
            }

            // The file went away while it waited (refused above): the slot goes to the next one.
        }
    }

    // The transfer is over: the client's next request starts a new one.
    private void End(IPEndPoint client, TftpClientTicket ticket)
    {
        lock (_gate)
        {
            ticket.Enter(TftpClientTicketState.Ended);
            if (_running.TryGetValue(client, out TftpClientTicket? current) && current == ticket)
            {
                _running.Remove(client);
            }

            // Drop the entry at zero so a flood from many addresses leaves nothing behind.
            int fromSource = _perSource[client.Address] - 1;
            if (fromSource <= 0)
            {
                _perSource.Remove(client.Address);
            }
            else
            {
                _perSource[client.Address] = fromSource;
            }
        }
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
}
