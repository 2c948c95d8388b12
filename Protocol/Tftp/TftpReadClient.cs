using Protocol.Common;

namespace Protocol.Tftp;

/// <summary>
/// A read transfer, client side, sans-IO (RFC 1350 with RFC 2347/2348/2349/7440 options). The
/// first reply fixes the server's transfer ID; packets from any other port get ERROR 5 and are
/// otherwise ignored. A server that ignores the options is followed in plain RFC 1350 mode; one
/// that refuses them (ERROR 8) is asked again without. Bytes go to the sink straight from the
/// received block, so nothing beyond one block is buffered.
/// </summary>
public sealed class TftpReadClient
{
    private readonly string _fileName;
    private readonly TftpReadOptions _options;
    private readonly ITftpDataSink _sink;
    private readonly DatagramQueue _outgoing = new DatagramQueue();
    private bool _optionsRequested;
    private int _serverPort;
    private int _blockSize = TftpOptionNames.DefaultBlockSize;
    private int _windowSize = 1;
    private long _retransmitMs;
    private long _requestWaitMs; // the request's current wait: doubles while unanswered
    private int _expectedBlock = 1;
    private int _blocksInWindow;
    private int _retries;
    private long _startedAt; // the first request: RequestPatienceMs counts from here
    private byte[] _lastSent = new byte[0]; // the request, or _ack once the server has answered
    private long _timer = Deadline.None;

    // Every ACK goes out of this one buffer and datagram (ACKs are cumulative, so a newer one may
    // overwrite one not yet polled): the steady state allocates nothing per block.
    private readonly byte[] _ack = new byte[4];
    private const string NoAnswer = "no answer";
    private TftpDatagram? _ackDatagram;

    public TftpReadClient(string fileName, TftpReadOptions options, ITftpDataSink sink)
    {
        if (options.BlockSize < TftpOptionNames.MinimumBlockSize || options.BlockSize > TftpOptionNames.MaximumBlockSize)
        {
            throw new System.ArgumentException("block size must be 8 to 65464");
        }

        if (options.WindowSize < 1 || options.WindowSize > TftpOptionNames.MaximumWindowSize)
        {
            throw new System.ArgumentException("window size must be 1 to 65535");
        }

        _fileName = fileName;
        _options = options;
        _sink = sink;
        _retransmitMs = options.RetransmitMs;
    }

    public TftpTransferState State { get; private set; } = TftpTransferState.Negotiating;

    public long BytesReceived { get; private set; }

    /// <summary>The size the server announced (tsize), or -1.</summary>
    public long TransferSize { get; private set; } = -1;

    /// <summary>The negotiated block size (512 until an OACK says otherwise).</summary>
    public int BlockSize => _blockSize;

    public int WindowSize => _windowSize;

    /// <summary>True when the server ignored the options and the transfer fell back to RFC 1350.</summary>
    public bool FellBackToPlain { get; private set; }

    public string? ErrorMessage { get; private set; }

    /// <summary>
    /// True while the request is unanswered after its first retransmission or has been answered
    /// "busy" (ERROR 0 from the request port): the server is there to be waited for
    /// (<see cref="TftpReadOptions.RequestPatienceMs"/>). Cleared by the server's first answer.
    /// </summary>
    public bool WaitingForServer => State == TftpTransferState.Negotiating && WaitReason != null;

    /// <summary>Why the client is waiting: "no answer", or the server's busy message; null before.</summary>
    public string? WaitReason { get; private set; }

    /// <summary>The code of the server's ERROR that ended the transfer, or -1 (timeouts, our own aborts).</summary>
    public int ServerErrorCode { get; private set; } = -1;

    public long NextDeadline => _outgoing.Count > 0 ? long.MinValue : _timer;

    public void Start(long now)
    {
        _startedAt = now;
        SendRequest(now, _options.RequestsOptions);
    }

    public TftpDatagram? Poll(long now)
    {
        if (_outgoing.Count == 0 && now >= _timer)
        {
            OnTimer(now);
        }

        return (TftpDatagram?)_outgoing.Take();
    }

    /// <summary>Takes one datagram received from the server's address and <paramref name="sourcePort"/>.</summary>
    public void OnReceive(byte[] data, int offset, int count, int sourcePort, long now)
    {
        if (State == TftpTransferState.Failed)
        {
            return;
        }

        if (State == TftpTransferState.Completed)
        {
            // Our final ACK was lost and the server repeats the last block: acknowledge it again.
            if (sourcePort == _serverPort && count >= 4 && data[offset + 1] == (byte)TftpOpcode.Data && data[offset] == 0
                && ((data[offset + 2] << 8) | data[offset + 3]) == _expectedBlock)
            {
                QueueAck(_expectedBlock);
            }

            return;
        }

        if (_serverPort != 0 && sourcePort != _serverPort)
        {
            _outgoing.Add(Packet(TftpPacketWriter.Error(TftpErrorCode.UnknownTransferId, "unknown transfer ID"), sourcePort));
            return;
        }

        // The common case, a DATA block during the transfer, is read in place: no packet object per block.
        if (State == TftpTransferState.Transferring && count >= 4 && count - 4 <= TftpOptionNames.MaximumBlockSize
            && BigEndian.ReadUInt16(data, offset) == (int)TftpOpcode.Data)
        {
            OnData(BigEndian.ReadUInt16(data, offset + 2), data, offset + 4, count - 4, now);
            return;
        }

        TftpPacket packet;
        try
        {
            packet = TftpPacket.Parse(data, offset, count);
        }
        catch (ProtocolParseException)
        {
            return; // a corrupt datagram; the retransmission timer recovers
        }

        switch (packet.Opcode)
        {
            case TftpOpcode.OptionAck:
                if (State == TftpTransferState.Negotiating && _optionsRequested)
                {
                    _serverPort = sourcePort;
                    AcceptOptionAck(packet, now);
                }
                else if (State == TftpTransferState.Transferring && _expectedBlock == 1)
                {
                    SendAck(0, now); // our ACK 0 was lost
                }

                break;
            case TftpOpcode.Data:
                if (State == TftpTransferState.Negotiating)
                {
                    _serverPort = sourcePort;
                    if (_optionsRequested)
                    {
                        FellBackToPlain = true; // the server ignored the options: RFC 1350 defaults
                    }

                    State = TftpTransferState.Transferring;
                }

                OnData(packet.Block, packet.Buffer, packet.DataOffset, packet.DataLength, now);
                break;
            case TftpOpcode.Error:
                if (State == TftpTransferState.Negotiating && _optionsRequested && packet.ErrorCode == TftpErrorCode.OptionRefused)
                {
                    SendRequest(now, false);
                    break;
                }

                if (State == TftpTransferState.Negotiating && packet.ErrorCode == TftpErrorCode.NotDefined && _options.RequestPatienceMs > 0)
                {
                    // "Busy, try again" (no transfer ID is fixed yet): the request's back-off asks again.
                    WaitReason = "server error 0: " + packet.ErrorMessage;
                    break;
                }

                ServerErrorCode = (int)packet.ErrorCode;
                Fail("server error " + ((int)packet.ErrorCode).ToString() + ": " + packet.ErrorMessage);
                break;
            default:
                Abort(TftpErrorCode.IllegalOperation, "unexpected " + packet.Opcode.ToString() + " in a read transfer");
                break;
        }
    }

    private void AcceptOptionAck(TftpPacket packet, long now)
    {
        for (int i = 0; i < packet.OptionNames.Length; i++)
        {
            string name = packet.OptionNames[i];
            string value = packet.OptionValues[i];
            int number = Ascii.ParseDecimal(value, 0, value.Length);
            if (name == TftpOptionNames.BlockSize)
            {
                if (number < TftpOptionNames.MinimumBlockSize || number > _options.BlockSize)
                {
                    Abort(TftpErrorCode.OptionRefused, "blksize " + value + " not acceptable");
                    return;
                }

                _blockSize = number;
            }
            else if (name == TftpOptionNames.WindowSize)
            {
                if (number < 1 || number > _options.WindowSize)
                {
                    Abort(TftpErrorCode.OptionRefused, "windowsize " + value + " not acceptable");
                    return;
                }

                _windowSize = number;
            }
            else if (name == TftpOptionNames.TransferSize && _options.RequestTransferSize)
            {
                long size = TftpReadRequest.ParseSize(value);
                if (size < 0 || size > _options.MaximumFileSize)
                {
                    Abort(TftpErrorCode.OptionRefused, "tsize " + value + " not acceptable");
                    return;
                }

                TransferSize = size;
            }
            else
            {
                Abort(TftpErrorCode.OptionRefused, "option " + name + " was not requested");
                return;
            }
        }

        State = TftpTransferState.Transferring;
        _retries = 0; // the request's retransmissions do not count against the data phase
        SendAck(0, now);
    }

    private void OnData(int block, byte[] buffer, int dataOffset, int dataLength, long now)
    {
        if (dataLength > _blockSize)
        {
            Abort(TftpErrorCode.IllegalOperation, "block larger than the negotiated size");
            return;
        }

        if (block != (_expectedBlock & 0xFFFF))
        {
            // A duplicate or a block out of order: acknowledge the last block in order, once per
            // gap, so the server restarts from there without an ACK storm (RFC 7440 §4).
            if (_blocksInWindow != -1)
            {
                _blocksInWindow = -1;
                SendAck(_expectedBlock - 1, now);
            }

            return;
        }

        if (BytesReceived + dataLength > _options.MaximumFileSize)
        {
            Abort(TftpErrorCode.DiskFull, "file larger than " + _options.MaximumFileSize.ToString() + " bytes");
            return;
        }

        _sink.Write(buffer, dataOffset, dataLength);
        BytesReceived += dataLength;
        _retries = 0;
        if (_blocksInWindow < 0)
        {
            _blocksInWindow = 0;
        }

        _blocksInWindow++;
        bool last = dataLength < _blockSize;
        if (last)
        {
            State = TftpTransferState.Completed;
            QueueAck(_expectedBlock);
            _timer = Deadline.None;
            return;
        }

        if (_blocksInWindow >= _windowSize)
        {
            _blocksInWindow = 0;
            SendAck(_expectedBlock, now);
        }
        else
        {
            _timer = now + _retransmitMs;
        }

        _expectedBlock = (_expectedBlock + 1) & 0xFFFF; // block numbers roll over past 65535 to 0
    }

    private void OnTimer(long now)
    {
        if (State != TftpTransferState.Negotiating && State != TftpTransferState.Transferring)
        {
            _timer = Deadline.None;
            return;
        }

        _retries++;
        bool request = _lastSent != _ack;
        if (request && _options.RequestPatienceMs > 0)
        {
            if (now - _startedAt >= _options.RequestPatienceMs)
            {
                Fail("server " + (WaitReason == null || WaitReason == NoAnswer ? "silent" : "busy (" + WaitReason + ")") + " for "
                    + ((now - _startedAt) / 1000).ToString() + " s, " + _retries.ToString() + " requests");
                return;
            }
        }
        else if (_retries > _options.MaximumRetries)
        {
            Fail("timed out after " + _options.MaximumRetries.ToString() + " retries");
            return;
        }

        if (!request)
        {
            QueueAck(BigEndian.ReadUInt16(_ack, 2));
            _timer = now + _retransmitMs;
            return;
        }

        // The request, still unanswered (it goes to the server's well-known port): back off.
        if (WaitReason == null)
        {
            WaitReason = NoAnswer;
        }

        _outgoing.Add(Packet(_lastSent, 0));
        _requestWaitMs = _requestWaitMs * 2 < _options.MaximumRequestRetransmitMs ? _requestWaitMs * 2 : _options.MaximumRequestRetransmitMs;
        if (_requestWaitMs < _retransmitMs)
        {
            _requestWaitMs = _retransmitMs;
        }

        _timer = now + _requestWaitMs;
        if (_options.RequestPatienceMs > 0 && _timer > _startedAt + _options.RequestPatienceMs)
        {
            _timer = _startedAt + _options.RequestPatienceMs; // give up when patience ends, not a back-off later
        }
    }

    private void SendRequest(long now, bool withOptions)
    {
        _optionsRequested = withOptions;
        _blockSize = TftpOptionNames.DefaultBlockSize;
        _windowSize = 1;
        _retries = 0;
        _lastSent = TftpReadRequest.Build(_fileName, _options, withOptions);
        _outgoing.Add(Packet(_lastSent, 0));
        _requestWaitMs = _retransmitMs;
        _timer = now + _retransmitMs;
    }

    private void SendAck(int block, long now)
    {
        QueueAck(block);
        _lastSent = _ack;
        _timer = now + _retransmitMs;
    }

    // Writes the ACK into the shared buffer and queues its datagram unless it is queued already.
    private void QueueAck(int block)
    {
        BigEndian.WriteUInt16(_ack, 0, (int)TftpOpcode.Ack);
        BigEndian.WriteUInt16(_ack, 2, block & 0xFFFF);
        if (_ackDatagram == null)
        {
            // The server's port is fixed by its first reply, before the first ACK, and never changes.
            _ackDatagram = new TftpDatagram(_ack, _ack.Length, _serverPort);
        }

        if (!_outgoing.Contains(_ackDatagram))
        {
            _outgoing.Add(_ackDatagram);
        }
    }

    private void Abort(TftpErrorCode code, string message)
    {
        if (_serverPort != 0)
        {
            _outgoing.Add(Packet(TftpPacketWriter.Error(code, message), _serverPort));
        }

        Fail(message);
    }

    private void Fail(string message)
    {
        ErrorMessage = message;
        State = TftpTransferState.Failed;
        _timer = Deadline.None;
    }

    private static TftpDatagram Packet(byte[] data, int port)
    {
        return new TftpDatagram(data, data.Length, port);
    }
}
