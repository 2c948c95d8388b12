using Hal;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Display;
using PhoneFirmware.Core.Events;
using Protocol.Common;

namespace PhoneFirmware.Core.Registration;

/// <summary>
/// The keypad at the PIN prompt. Open: code keys are collected and echoed on the second row
/// (as a real set shows them), <c>Keys.Backspace</c> erases one, <c>Keys.Confirm</c> (the
/// Superkey) hands the PIN over; keys typed and left for <see cref="PhoneSettings.PinEntryTimeoutMilliseconds"/>
/// are discarded. Closed (boot, registered, anything but a prompt): every key is discarded.
/// </summary>
public sealed class PinEntry
{
    private readonly IKeypad _keypad;
    private readonly PhoneScreen _screen;
    private readonly IPhoneEventSink _events;
    private readonly int _timeoutMilliseconds;
    private readonly PinEntryBuffer _buffer = new PinEntryBuffer();
    private long _lastKeyAt;

    public PinEntry(IKeypad keypad, PhoneScreen screen, IPhoneEventSink events, int timeoutMilliseconds)
    {
        _keypad = keypad;
        _screen = screen;
        _events = events;
        _timeoutMilliseconds = timeoutMilliseconds;
    }

    public PinEntryState State { get; private set; } = PinEntryState.Closed;

    public string Typed => _buffer.Text;

    /// <summary>Keys waiting from before the prompt are discarded; the entry starts empty.</summary>
    public void Open(long now)
    {
        Discard();
        _buffer.Clear();
        _lastKeyAt = now;
        State = PinEntryState.Open;
    }

    public void Close()
    {
        _buffer.Clear();
        State = PinEntryState.Closed;
    }

    /// <summary>Reads the keypad; returns the confirmed PIN, or null. Closed: discards what was typed.</summary>
    public string? Step(long now)
    {
        if (State == PinEntryState.Closed)
        {
            Discard();
            return null;
        }

        if (_buffer.Length > 0 && now - _lastKeyAt >= _timeoutMilliseconds)
        {
            _events.Publish(new PhoneEvent(EventNames.PinTimeout).With("discarded", _buffer.Length));
            _buffer.Clear();
            _screen.SetLine(1, string.Empty);
        }

        while (true)
        {
            char key = _keypad.ReadKey();
            if (key == Keys.None)
            {
                return null;
            }

            _lastKeyAt = now;
            if (key == Keys.Confirm)
            {
                if (_buffer.Length > 0)
                {
                    string pin = _buffer.Text;
                    Close();
                    return pin;
                }
            }
            else if (key == Keys.Backspace)
            {
                if (_buffer.RemoveLast())
                {
                    _screen.SetLine(1, _buffer.Text);
                }
            }
            else if (Keys.IsDialKey(key) && _buffer.Add(key))
            {
                _screen.SetLine(1, _buffer.Text);
            }
        }
    }

    /// <summary>When the typed keys time out, or None.</summary>
    public long NextDeadline(long now)
    {
        if (State == PinEntryState.Closed)
        {
            return Deadline.None;
        }

        // Keys arrive from the keypad driver, not the network: look again soon.
        long poll = now + 20;
        return _buffer.Length > 0 ? Deadline.Earliest(poll, _lastKeyAt + _timeoutMilliseconds) : poll;
    }

    private void Discard()
    {
        int discarded = 0;
        while (_keypad.ReadKey() != Keys.None)
        {
            discarded++;
        }

        if (discarded > 0)
        {
            _events.Publish(new PhoneEvent(EventNames.KeysDiscarded).With("count", discarded));
        }
    }
}
