using System;
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
/// cap, write requests and names outside the root get a clear ERROR and change nothing.
/// </summary>
public sealed class TftpServer : IDisposable
{
    private readonly TftpServerOptions _options;
    private readonly TftpRootDirectory _root;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Thread? _thread;
    private int _active;
    private long _completed;
    private long _failed;
    private long _refused;

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

        if (Interlocked.Increment(ref _active) > _options.MaxConcurrentTransfers)
        {
            Interlocked.Decrement(ref _active);
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
                Refuse(client, refusal == "file not found" ? TftpErrorCode.FileNotFound : TftpErrorCode.AccessViolation, refusal + ": " + request.FileName);
                return;
            }

            source = new FileTftpSource(stream);
        }

        Thread transfer = new(() => RunTransfer(request, source, client)) { IsBackground = true, Name = "tftp-transfer" };
        transfer.Start();
    }

    private void RunTransfer(TftpPacket request, ITftpFileSource source, IPEndPoint client)
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
            byte[] buffer = new byte[1500];
            session.Start(_clock.ElapsedMilliseconds);
            while (!_stop.IsCancellationRequested)
            {
                long now = _clock.ElapsedMilliseconds;
                TftpDatagram? datagram;
                while ((datagram = session.Poll(now)) != null)
                {
                    socket.SendTo(datagram.Data, 0, datagram.Length, SocketFlags.None, client);
                }

                if (session.State == TftpTransferState.Completed || session.State == TftpTransferState.Failed)
                {
                    break;
                }

                long wait = Math.Clamp(session.NextDeadline - now, 0, 200);
                if (!socket.Poll((int)(wait * 1000), SelectMode.SelectRead))
                {
                    continue;
                }

                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int length = socket.ReceiveFrom(buffer, ref from);
                IPEndPoint source2 = (IPEndPoint)from;
                if (!source2.Equals(client))
                {
                    // Another transfer ID: tell it so and carry on (RFC 1350 §4).
                    byte[] error = TftpPacketWriter.Error(TftpErrorCode.UnknownTransferId, "unknown transfer ID");
                    socket.SendTo(error, source2);
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
            Interlocked.Decrement(ref _active);
        }

        bool ok = session.State == TftpTransferState.Completed;
        Finish(ok, request.FileName, client, ok ? session.BytesSent + " bytes, blksize " + session.BlockSize + ", window " + session.WindowSize : session.ErrorMessage ?? "stopped");
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
}
