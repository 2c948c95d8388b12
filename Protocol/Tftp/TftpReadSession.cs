using System.Collections;
using Protocol.Common;

namespace Protocol.Tftp;

/// <summary>
/// A read transfer, server side, sans-IO: negotiates options (OACK), sends a window of blocks,
/// advances on ACKs and retransmits the window on timeout. A duplicate ACK never triggers a
/// resend, which is what prevents the Sorcerer's Apprentice bug (RFC 1123 §4.2.3.1). Block
/// numbers roll over past 65535; the session tracks the 64-bit block index internally.
/// Blocks are read from the file only when <see cref="Poll"/> hands them out, into one buffer the
/// session reuses: a DATA datagram is valid until the next call to <see cref="Poll"/>, so the host
/// sends (or copies) it before polling again. A session keeps one block in memory, whatever the
/// window, and allocates nothing per block.
/// </summary>
public sealed class TftpReadSession
{
    private readonly ITftpFileSource _file;
    private readonly TftpSessionLimits _limits;
    private readonly DatagramQueue _outgoing = new DatagramQueue();
    private readonly byte[]? _optionAck;
    private readonly long _lastBlockIndex;
    private long _windowBase = 1;
    private long _sendNext;
    private long _sendEnd;
    private byte[]? _block;
    private TftpDatagram? _blockDatagram;
    private int _retries;
    private long _retransmitMs;
    private long _timer = Deadline.None;

    public TftpReadSession(TftpPacket request, ITftpFileSource file, TftpSessionLimits limits)
    {
        _file = file;
        _limits = limits;
        _retransmitMs = limits.RetransmitMs;
        ArrayList names = new ArrayList();
        ArrayList values = new ArrayList();
        for (int i = 0; i < request.OptionNames.Length; i++)
        {
            string name = request.OptionNames[i];
            string value = request.OptionValues[i];
            int number = Ascii.ParseDecimal(value, 0, value.Length);
            if (name == TftpOptionNames.BlockSize && number >= TftpOptionNames.MinimumBlockSize)
            {
                BlockSize = number > limits.MaximumBlockSize ? limits.MaximumBlockSize : number;
                names.Add(name);
                values.Add(BlockSize.ToString());
            }
            else if (name == TftpOptionNames.WindowSize && number >= 1)
            {
                WindowSize = number > limits.MaximumWindowSize ? limits.MaximumWindowSize : number;
                names.Add(name);
                values.Add(WindowSize.ToString());
            }
            else if (name == TftpOptionNames.TransferSize && value == "0")
            {
                names.Add(name);
                values.Add(file.Length.ToString());
            }
            else if (name == TftpOptionNames.Timeout && number >= 1 && number <= 255 && number <= limits.MaximumTimeoutSeconds)
            {
                _retransmitMs = number * 1000L;
                names.Add(name);
                values.Add(value);
            }
        }

        if (names.Count > 0)
        {
            string[] optionNames = new string[names.Count];
            string[] optionValues = new string[names.Count];
            for (int i = 0; i < names.Count; i++)
            {
                optionNames[i] = (string)names[i]!;
                optionValues[i] = (string)values[i]!;
            }

            _optionAck = TftpPacketWriter.OptionAck(optionNames, optionValues);
        }

        // The last block is the first shorter than the block size, possibly empty.
        _lastBlockIndex = (file.Length / BlockSize) + 1;
    }

    public int BlockSize { get; } = TftpOptionNames.DefaultBlockSize;

    public int WindowSize { get; } = 1;

    public TftpTransferState State { get; private set; } = TftpTransferState.Negotiating;

    public long BytesSent { get; private set; }

    public int Retransmissions { get; private set; }

    public string? ErrorMessage { get; private set; }

    public long NextDeadline => _outgoing.Count > 0 || _sendNext < _sendEnd ? long.MinValue : _timer;

    public void Start(long now)
    {
        if (_optionAck != null)
        {
            _outgoing.Add(new TftpDatagram(_optionAck, _optionAck.Length, 0));
            _timer = now + _retransmitMs;
        }
        else
        {
            State = TftpTransferState.Transferring;
            SendWindow(now);
        }
    }

    /// <summary>The next datagram to send, or null. A DATA datagram's bytes are valid until the next call.</summary>
    public TftpDatagram? Poll(long now)
    {
        if (_outgoing.Count == 0 && _sendNext >= _sendEnd && now >= _timer)
        {
            OnTimer(now);
        }

        TftpDatagram? queued = (TftpDatagram?)_outgoing.Take();
        if (queued != null)
        {
            return queued;
        }

        if (_sendNext < _sendEnd)
        {
            return ReadBlock(_sendNext++);
        }

        return null;
    }

    /// <summary>
    /// The client sent its request again while this transfer runs: our first answer (the OACK,
    /// or the first window without options) was lost and the client's timer is shorter than
    /// ours. It is answered at once instead of at our next timeout, without counting as a
    /// retry. Once the client has acknowledged anything, a repeated request is stale and ignored,
    /// so a burst of them can never multiply the data sent.
    /// </summary>
    public void OnRequestRepeated(long now)
    {
        if (State == TftpTransferState.Negotiating)
        {
            _outgoing.Add(new TftpDatagram(_optionAck!, _optionAck!.Length, 0));
            _timer = now + _retransmitMs;
        }
        else if (State == TftpTransferState.Transferring && _optionAck == null && _windowBase == 1)
        {
            SendWindow(now);
        }
    }

    /// <summary>Takes one datagram from the client's transfer ID (the host answers other ports with ERROR 5).</summary>
    public void OnReceive(byte[] data, int offset, int count, long now)
    {
        if (State == TftpTransferState.Completed || State == TftpTransferState.Failed)
        {
            return;
        }

        // The common case, an ACK, is read in place: no packet object per block.
        if (count >= 4 && BigEndian.ReadUInt16(data, offset) == (int)TftpOpcode.Ack)
        {
            OnAck(BigEndian.ReadUInt16(data, offset + 2), now);
            return;
        }

        TftpPacket packet;
        try
        {
            packet = TftpPacket.Parse(data, offset, count);
        }
        catch (ProtocolParseException)
        {
            return;
        }

        if (packet.Opcode == TftpOpcode.Error)
        {
            Fail("client error " + ((int)packet.ErrorCode).ToString() + ": " + packet.ErrorMessage);
            return;
        }

        _outgoing.Add(Error(TftpErrorCode.IllegalOperation, "expected ACK"));
        Fail("client sent " + packet.Opcode.ToString());
    }

    private void OnAck(int block, long now)
    {
        if (State == TftpTransferState.Negotiating)
        {
            if (block == 0)
            {
                State = TftpTransferState.Transferring;
                _retries = 0;
                SendWindow(now);
            }

            return;
        }

        // Map the 16-bit number onto the blocks in flight: base-1 (nothing new) .. base+window-1.
        long acked = _windowBase - 1 + ((block - ((_windowBase - 1) & 0xFFFF)) & 0xFFFF);
        if (acked < _windowBase || acked >= _windowBase + WindowSize || acked > _lastBlockIndex)
        {
            return; // duplicate or stale ACK: never resend on it
        }

        BytesSent = acked >= _lastBlockIndex ? _file.Length : acked * BlockSize;
        _windowBase = acked + 1;
        _retries = 0;
        if (_windowBase > _lastBlockIndex)
        {
            State = TftpTransferState.Completed;
            _timer = Deadline.None;
            _sendEnd = _sendNext;
            return;
        }

        SendWindow(now);
    }

    private void OnTimer(long now)
    {
        if (State != TftpTransferState.Negotiating && State != TftpTransferState.Transferring)
        {
            _timer = Deadline.None;
            return;
        }

        _retries++;
        if (_retries > _limits.MaximumRetries)
        {
            Fail("client stopped answering");
            return;
        }

        Retransmissions++;
        if (State == TftpTransferState.Negotiating)
        {
            _outgoing.Add(new TftpDatagram(_optionAck!, _optionAck!.Length, 0));
            _timer = now + _retransmitMs;
        }
        else
        {
            SendWindow(now);
        }
    }

    // Schedules the window from the first unacknowledged block; Poll reads each block as it goes
    // out. A new window supersedes whatever of the previous one was not handed out yet.
    private void SendWindow(long now)
    {
        _sendNext = _windowBase;
        long end = _windowBase + WindowSize;
        _sendEnd = end > _lastBlockIndex + 1 ? _lastBlockIndex + 1 : end;
        _timer = now + _retransmitMs;
    }

    private TftpDatagram ReadBlock(long index)
    {
        if (_block == null)
        {
            _block = new byte[4 + BlockSize];
            _blockDatagram = new TftpDatagram(_block, _block.Length, 0);
        }

        long position = (index - 1) * BlockSize;
        long left = _file.Length - position;
        int count = left < BlockSize ? (int)left : BlockSize;
        TftpPacketWriter.DataHeader(_block, (int)(index & 0xFFFF));
        int read = 0;
        while (read < count)
        {
            int n = _file.Read(position + read, _block, 4 + read, count - read);
            if (n <= 0)
            {
                Fail("file shrank while being read");
                return Error(TftpErrorCode.NotDefined, "file shrank while being read");
            }

            read += n;
        }

        _blockDatagram!.SetLength(4 + count);
        return _blockDatagram;
    }

    private void Fail(string message)
    {
        ErrorMessage = message;
        State = TftpTransferState.Failed;
        _timer = Deadline.None;
        _sendEnd = _sendNext;
    }

    private static TftpDatagram Error(TftpErrorCode code, string message)
    {
        byte[] packet = TftpPacketWriter.Error(code, message);
        return new TftpDatagram(packet, packet.Length, 0);
    }
}
