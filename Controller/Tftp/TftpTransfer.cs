using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Protocol.Tftp;

namespace Controller.Tftp;

/// <summary>
/// One transfer of <see cref="TftpServer"/> on its own socket (a fresh transfer ID) and thread:
/// blocking receives with a timeout up to the session's next deadline, and the allocation-free
/// <see cref="SocketAddress"/> calls, so a block costs one recvmsg and one sendmsg and nothing for
/// the garbage collector.
/// </summary>
public sealed class TftpTransfer
{
    private readonly TftpPacket _request;
    private readonly ITftpFileSource _source;
    private readonly TftpServerOptions _options;
    private readonly Stopwatch _clock;
    private readonly CancellationToken _stop;

    public TftpTransfer(TftpPacket request, ITftpFileSource source, IPEndPoint client, TftpClientTicket ticket, TftpServerOptions options, Stopwatch clock, CancellationToken stop)
    {
        _request = request;
        _source = source;
        Client = client;
        Ticket = ticket;
        _options = options;
        _clock = clock;
        _stop = stop;
    }

    public IPEndPoint Client { get; }

    public TftpClientTicket Ticket { get; }

    public string FileName => _request.FileName;

    /// <summary>Runs the transfer to its end; true when the client acknowledged the last block.</summary>
    public bool Run(out string detail)
    {
        using IDisposable? disposeSource = _source as IDisposable;
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        TftpReadSession session;
        try
        {
            socket.Bind(new IPEndPoint(_options.BindAddress, 0));
            session = new TftpReadSession(_request, _source, new TftpSessionLimits
            {
                MaximumBlockSize = _options.MaximumBlockSize,
                MaximumWindowSize = _options.MaximumWindowSize,
                RetransmitMs = _options.RetransmitMs,
                MaximumRetries = _options.MaximumRetries,
            });
            Exchange(socket, session);
        }
        catch (SocketException e)
        {
            detail = "socket error: " + e.Message;
            return false;
        }

        bool ok = session.State == TftpTransferState.Completed;
        detail = ok ? session.BytesSent + " bytes, blksize " + session.BlockSize + ", window " + session.WindowSize : session.ErrorMessage ?? "stopped";
        return ok;
    }

    private void Exchange(Socket socket, TftpReadSession session)
    {
        SocketAddress clientAddress = Client.Serialize();
        SocketAddress from = new(AddressFamily.InterNetwork);
        byte[] buffer = new byte[1500];
        int timeout = 0;
        int repeatedRequests = 0;
        bool answered = false;
        session.Start(_clock.ElapsedMilliseconds);
        while (!_stop.IsCancellationRequested)
        {
            long now = _clock.ElapsedMilliseconds;
            int repeats = Ticket.RepeatedRequests;
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
                return;
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
}
