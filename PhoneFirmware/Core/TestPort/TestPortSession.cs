using System;
using PhoneFirmware.Core.Events;
using Protocol.Common;

namespace PhoneFirmware.Core.TestPort;

/// <summary>
/// The phone's end of the serial test port, without I/O: bytes from the line go in through
/// <see cref="Receive"/>, each command is carried out on the <see cref="ITestPortPhone"/> and
/// answered (OK, ERR, DISPLAY), every published event is queued as an EVENT line, and
/// <see cref="PeekOutput"/> and <see cref="ConsumeOutput"/> hand out the bytes to write. The output is bounded: when the host
/// reads too slowly, whole lines are dropped and a <c>testport.overflow</c> event says how many.
/// Not thread-safe; a caller with several threads serializes calls.
/// </summary>
public sealed class TestPortSession : IPhoneEventSink
{
    private readonly ITestPortPhone _phone;
    private readonly TestPortLineReader _reader = new TestPortLineReader(TestPortLimits.MaxCommandLength);
    private readonly byte[] _output = new byte[TestPortLimits.OutputCapacity];
    private int _outputStart;
    private int _outputLength;
    private int _dropped;

    public TestPortSession(ITestPortPhone phone)
    {
        _phone = phone;
    }

    /// <summary>Bytes of output waiting to be written.</summary>
    public int PendingOutput => _outputLength;

    /// <summary>Lines dropped so far because the output was full.</summary>
    public int DroppedLines { get; private set; }

    /// <summary>Takes bytes from the line; every complete line is carried out and answered at once.</summary>
    public void Receive(byte[] data, int offset, int count)
    {
        for (int i = offset; i < offset + count; i++)
        {
            string? line;
            try
            {
                line = _reader.Push(data[i]);
                if (line == null)
                {
                    continue;
                }

                Execute(TestPortCodec.ParseCommand(line));
            }
            catch (ProtocolParseException error)
            {
                Send(TestPortCodec.FormatError(error.Message));
            }
        }
    }

    /// <summary>Queues the event as an EVENT line.</summary>
    public void Publish(PhoneEvent phoneEvent)
    {
        Send(TestPortCodec.FormatEvent(phoneEvent));
    }

    /// <summary>Copies up to <paramref name="count"/> bytes of waiting output, oldest first, without removing them.</summary>
    public int PeekOutput(byte[] buffer, int offset, int count)
    {
        int copied = count < _outputLength ? count : _outputLength;
        Array.Copy(_output, _outputStart, buffer, offset, copied);
        return copied;
    }

    /// <summary>Removes the first <paramref name="count"/> bytes of output: the line took them.</summary>
    public void ConsumeOutput(int count)
    {
        if (count < 0 || count > _outputLength)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _outputStart += count;
        _outputLength -= count;
        if (_outputLength == 0)
        {
            _outputStart = 0;
        }
    }

    private void Execute(TestPortCommand command)
    {
        switch (command.Kind)
        {
            case TestPortCommandKind.Ping:
                Send(TestPortCodec.Ok);
                break;
            case TestPortCommandKind.Key:
            case TestPortCommandKind.Keys:
                Send(_phone.PressKeys(command.Keys) ? TestPortCodec.Ok : TestPortCodec.FormatError("keypad queue full"));
                break;
            case TestPortCommandKind.Restart:
                // OK goes first: the events of the new power-up follow it.
                Send(TestPortCodec.Ok);
                _phone.Restart(command.HoldStar);
                break;
            case TestPortCommandKind.DisplayQuery:
                string[] lines = new string[_phone.ScreenRows];
                for (int row = 0; row < lines.Length; row++)
                {
                    lines[row] = _phone.ScreenLine(row);
                }

                Send(TestPortCodec.FormatDisplay(lines));
                break;
        }
    }

    private void Send(string line)
    {
        if (_dropped > 0)
        {
            string notice = TestPortCodec.FormatEvent(new PhoneEvent(EventNames.TestPortOverflow).With("dropped", _dropped));
            if (!Enqueue(notice))
            {
                _dropped++;
                DroppedLines++;
                return;
            }

            _dropped = 0;
        }

        if (!Enqueue(line))
        {
            _dropped++;
            DroppedLines++;
        }
    }

    // The whole line and its LF, or nothing.
    private bool Enqueue(string line)
    {
        int needed = line.Length + 1;
        if (needed > _output.Length - _outputLength)
        {
            return false;
        }

        if (_outputStart + _outputLength + needed > _output.Length)
        {
            Array.Copy(_output, _outputStart, _output, 0, _outputLength);
            _outputStart = 0;
        }

        int at = _outputStart + _outputLength;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            _output[at + i] = c <= '~' ? (byte)c : (byte)'?';
        }

        _output[at + line.Length] = (byte)'\n';
        _outputLength += needed;
        return true;
    }
}
