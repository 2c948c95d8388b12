using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using Protocol.Tftp;

namespace TftpBench;

/// <summary>What one batch of concurrent transfers delivered.</summary>
public sealed class BatchResult
{
    public int Transfers { get; init; }

    public int Verified { get; init; }

    public long Bytes { get; init; }

    public double Seconds { get; init; }

    public int NegotiatedBlockSize { get; init; }

    public int NegotiatedWindowSize { get; init; }

    public string? FirstError { get; init; }

    public double MiBPerSecond => Bytes / (1024.0 * 1024.0) / Seconds;
}

/// <summary>
/// Our client machine (<see cref="TftpReadClient"/>) as a load generator: many read transfers,
/// each on its own UDP socket (its own transfer ID), multiplexed by the runtime's socket engine
/// (epoll) onto a few threads; one timer thread drives the retransmission deadlines. Every
/// transfer's bytes are counted and hashed (SHA-256) as they arrive and checked at the end.
/// </summary>
public static class LoadGenerator
{
    private static int s_sendFailures;
    private static string? s_lastSendError;

    /// <summary>Datagrams the client could not send (the kernel refused them), since the start.</summary>
    public static int SendFailures => Volatile.Read(ref s_sendFailures);

    public static string? LastSendError => s_lastSendError;

    public static BatchResult Run(IPEndPoint server, string file, int clients, TftpReadOptions options, long expectedLength, byte[] expectedSha256, TimeSpan limit)
    {
        Stopwatch clock = Stopwatch.StartNew();
        Transfer[] transfers = new Transfer[clients];
        using CountdownEvent done = new(clients);
        for (int i = 0; i < clients; i++)
        {
            transfers[i] = new Transfer(server, file, options, clock, done);
        }

        long started = clock.ElapsedTicks;
        foreach (Transfer transfer in transfers)
        {
            transfer.Start();
        }

        bool stop = false;
        Thread timers = new(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                foreach (Transfer transfer in transfers)
                {
                    transfer.OnTick();
                }

                Thread.Sleep(5);
            }
        })
        { IsBackground = true, Name = "bench-timers" };
        timers.Start();

        bool finished = done.Wait(limit);
        long ended = clock.ElapsedTicks;
        Volatile.Write(ref stop, true);
        timers.Join();

        long bytes = 0;
        int verified = 0;
        string? firstError = finished ? null : "not finished within " + limit.TotalSeconds + " s";
        foreach (Transfer transfer in transfers)
        {
            transfer.Close();
            bytes += transfer.Bytes;
            string? problem = transfer.Check(expectedLength, expectedSha256);
            if (problem == null)
            {
                verified++;
            }
            else
            {
                firstError ??= problem;
            }
        }

        return new BatchResult
        {
            Transfers = clients,
            Verified = verified,
            Bytes = bytes,
            Seconds = (ended - started) / (double)Stopwatch.Frequency,
            NegotiatedBlockSize = transfers[0].BlockSize,
            NegotiatedWindowSize = transfers[0].WindowSize,
            FirstError = firstError,
        };
    }

    private sealed class Transfer : ITftpDataSink
    {
        private readonly Socket _socket;
        private readonly TftpReadClient _client;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly IPEndPoint _requestEndPoint;
        private readonly Stopwatch _clock;
        private readonly CountdownEvent _done;
        private readonly SocketAsyncEventArgs _receive = new();
        private readonly byte[] _buffer = new byte[65536];
        private readonly object _gate = new();
        private IPEndPoint? _transferEndPoint;
        private bool _finished;
        private byte[]? _digest;

        public Transfer(IPEndPoint server, string file, TftpReadOptions options, Stopwatch clock, CountdownEvent done)
        {
            _requestEndPoint = server;
            _clock = clock;
            _done = done;
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _socket.ReceiveBufferSize = 1 << 20;
            _socket.Bind(new IPEndPoint(server.Address, 0));
            _client = new TftpReadClient(file, options, this);
            _receive.SetBuffer(_buffer, 0, _buffer.Length);
            _receive.RemoteEndPoint = new IPEndPoint(IPAddress.Any, 0);
            _receive.Completed += (_, e) => OnCompleted(e);
        }

        public long Bytes { get; private set; }

        public int BlockSize => _client.BlockSize;

        public int WindowSize => _client.WindowSize;

        public void Write(byte[] buffer, int offset, int count)
        {
            _hash.AppendData(buffer, offset, count);
            Bytes += count;
        }

        public void Start()
        {
            lock (_gate)
            {
                _client.Start(_clock.ElapsedMilliseconds);
                Flush();
            }

            PostReceive();
        }

        public void OnTick()
        {
            lock (_gate)
            {
                if (!_finished && _clock.ElapsedMilliseconds >= _client.NextDeadline)
                {
                    Flush();
                    CheckFinished();
                }
            }
        }

        public void Close()
        {
            lock (_gate)
            {
                _finished = true;
            }

            _socket.Dispose();
        }

        public string? Check(long expectedLength, byte[] expectedSha256)
        {
            if (_client.State != TftpTransferState.Completed)
            {
                return "transfer " + _client.State + ": " + (_client.ErrorMessage ?? "unfinished");
            }

            if (Bytes != expectedLength)
            {
                return "received " + Bytes + " bytes, expected " + expectedLength;
            }

            if (_digest == null || !CryptographicOperations.FixedTimeEquals(_digest, expectedSha256))
            {
                return "SHA-256 mismatch";
            }

            return null;
        }

        private void PostReceive()
        {
            while (true)
            {
                bool pending;
                try
                {
                    pending = _socket.ReceiveFromAsync(_receive);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                if (pending || !Handle(_receive))
                {
                    return;
                }
            }
        }

        private void OnCompleted(SocketAsyncEventArgs e)
        {
            if (Handle(e))
            {
                PostReceive();
            }
        }

        // Feeds one datagram to the client; false when no further receive is wanted.
        private bool Handle(SocketAsyncEventArgs e)
        {
            lock (_gate)
            {
                if (_finished)
                {
                    return false;
                }

                if (e.SocketError == SocketError.Success && e.RemoteEndPoint is IPEndPoint from)
                {
                    _client.OnReceive(_buffer, 0, e.BytesTransferred, from.Port, _clock.ElapsedMilliseconds);
                    Flush();
                    CheckFinished();
                }
                else if (e.SocketError == SocketError.OperationAborted)
                {
                    return false;
                }

                return !_finished;
            }
        }

        private void Flush()
        {
            long now = _clock.ElapsedMilliseconds;
            TftpDatagram? datagram;
            while ((datagram = _client.Poll(now)) != null)
            {
                IPEndPoint to = _requestEndPoint;
                if (datagram.DestinationPort != 0)
                {
                    if (_transferEndPoint == null || _transferEndPoint.Port != datagram.DestinationPort)
                    {
                        _transferEndPoint = new IPEndPoint(_requestEndPoint.Address, datagram.DestinationPort);
                    }

                    to = _transferEndPoint;
                }

                try
                {
                    _socket.SendTo(datagram.Data, 0, datagram.Length, SocketFlags.None, to);
                }
                catch (SocketException e)
                {
                    // Left to the retransmission timer, as on a real network.
                    Interlocked.Increment(ref s_sendFailures);
                    s_lastSendError = e.SocketErrorCode.ToString();
                }
            }
        }

        private void CheckFinished()
        {
            if (!_finished && (_client.State == TftpTransferState.Completed || _client.State == TftpTransferState.Failed))
            {
                _finished = true;
                _digest = _hash.GetHashAndReset();
                _done.Signal();
            }
        }
    }
}
