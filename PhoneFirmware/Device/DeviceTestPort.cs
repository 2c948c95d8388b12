using Hal;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.TestPort;

namespace PhoneFirmware.Device;

/// <summary>
/// The serial test port on the board (docs/test-port.md): moves bytes between the UART and the
/// sans-IO <see cref="TestPortSession"/>, feeds its keys into the <see cref="TestPortKeypad"/>,
/// reads the screen of the current <see cref="PhoneCore"/>, and remembers a requested restart
/// for the step loop, which power-cycles the core (a new core on the same drivers; the chip
/// itself does not reset, so the network interface stays up).
/// </summary>
public sealed class DeviceTestPort : ITestPortPhone
{
    // At 115200 baud 256 bytes take about 22 ms, near one loop sleep: a write never stalls the loop long.
    private const int ChunkSize = 256;

    private readonly ISerialPort _serial;
    private readonly TestPortKeypad _keypad;
    private readonly byte[] _buffer = new byte[ChunkSize];
    private bool _restartRequested;
    private bool _holdStar;

    public DeviceTestPort(ISerialPort serial, TestPortKeypad keypad)
    {
        _serial = serial;
        _keypad = keypad;
        Session = new TestPortSession(this);
    }

    public TestPortSession Session { get; }

    /// <summary>The core the screen is read from; replaced by the loop at every restart.</summary>
    public PhoneCore? Core { get; set; }

    public int ScreenRows => Core != null ? Core.Screen.Rows : 2;

    /// <summary>True while output waits for the UART: the loop should not sleep long.</summary>
    public bool HasOutput => Session.PendingOutput > 0;

    public bool PressKeys(string keys)
    {
        return _keypad.Press(keys);
    }

    public void Restart(bool holdStar)
    {
        _restartRequested = true;
        _holdStar = holdStar;
    }

    public string ScreenLine(int row)
    {
        return Core != null ? Core.Screen.Line(row) : string.Empty;
    }

    /// <summary>Reads what the host sent and carries it out.</summary>
    public void Poll()
    {
        int read = _serial.Read(_buffer, 0, ChunkSize);
        if (read > 0)
        {
            Session.Receive(_buffer, 0, read);
        }
    }

    /// <summary>Writes one chunk of waiting output.</summary>
    public void Flush()
    {
        int pending = Session.PeekOutput(_buffer, 0, ChunkSize);
        if (pending > 0)
        {
            Session.ConsumeOutput(_serial.Write(_buffer, 0, pending));
        }
    }

    /// <summary>True once after RESTART arrived; <paramref name="holdStar"/> says whether '*' is to be held.</summary>
    public bool TakeRestart(out bool holdStar)
    {
        holdStar = _holdStar;
        bool requested = _restartRequested;
        _restartRequested = false;
        _holdStar = false;
        return requested;
    }
}
