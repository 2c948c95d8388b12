using System;

namespace Hal.Esp32;

/// <summary>
/// Everything that differs between boards — pins, the display's I2C address and size, the keypad
/// matrix, Ethernet or Wi-Fi — read from a small text file, so no pin number lives in code.
/// Format (hardware/README.md): one <c>key = value</c> per line, <c>#</c> at the start of a line or
/// after a space starts a comment,
/// lists are comma-separated, numbers decimal or <c>0x</c> hex. Unknown keys are errors, so a
/// typo cannot silently leave a default in place.
/// </summary>
public sealed class BoardProfile
{
    public string Board { get; private set; } = "unnamed";

    /// <summary>"ethernet" or "wifi".</summary>
    public string Network { get; private set; } = "ethernet";

    /// <summary>
    /// How the interface gets an address lwIP can send from before the phone's own DHCP runs:
    /// "native-lease" (lwIP's DHCP leases one, the driver pins it static, which stops lwIP's
    /// client and frees port 68) or "none" (native DHCP off, the phone's DHCP sends from 0.0.0.0).
    /// </summary>
    public string AddressBootstrap { get; private set; } = "native-lease";

    public string WifiSsid { get; private set; } = string.Empty;

    public string WifiPassword { get; private set; } = string.Empty;

    public int I2cBus { get; private set; } = 1;

    public int I2cDataPin { get; private set; } = 21;

    public int I2cClockPin { get; private set; } = 22;

    public int DisplayAddress { get; private set; } = 0x3C;

    public int DisplayWidth { get; private set; } = 128;

    public int DisplayHeight { get; private set; } = 64;

    /// <summary>Driven low one at a time while scanning.</summary>
    public int[] KeypadRowPins { get; private set; } = new int[0];

    /// <summary>Read while a row is low; a pressed key reads low.</summary>
    public int[] KeypadColumnPins { get; private set; } = new int[0];

    /// <summary>"internal" (the ESP32's pull-ups) or "external" (resistors; needed on GPIO34-39, which have none).</summary>
    public string KeypadPullUp { get; private set; } = "internal";

    /// <summary>Row-major, one character per key; keys the phone does not use (A-D) are dropped by the driver.</summary>
    public string KeypadMap { get; private set; } = "123A456B789C*0#D";

    /// <summary>
    /// The matrix position (row-major index) of the key that confirms an entry (<see cref="Keys.Confirm"/>,
    /// the real set's Superkey); the profile names it as "row, column" counted from 1. Default 4, 4:
    /// the 'D' of the common 4x4 pad, which the dial pad does not use.
    /// </summary>
    public int KeypadConfirmIndex => _confirmPosition[0] < 1 ? -1 : ((_confirmPosition[0] - 1) * KeypadColumnPins.Length) + _confirmPosition[1] - 1;

    /// <summary>The matrix position of the backspace key (<see cref="Keys.Backspace"/>); default 3, 4: the 'C'.</summary>
    public int KeypadBackspaceIndex => _backspacePosition[0] < 1 ? -1 : ((_backspacePosition[0] - 1) * KeypadColumnPins.Length) + _backspacePosition[1] - 1;

    /// <summary>
    /// What each matrix position means to the driver: <see cref="KeypadMap"/> with the confirm and
    /// backspace positions replaced by <see cref="Keys.Confirm"/> and <see cref="Keys.Backspace"/>.
    /// </summary>
    public string KeypadScanMap
    {
        get
        {
            char[] keys = KeypadMap.ToCharArray();
            keys[KeypadConfirmIndex] = Keys.Confirm;
            keys[KeypadBackspaceIndex] = Keys.Backspace;
            return new string(keys);
        }
    }

    /// <summary>Consecutive equal scans before a change counts.</summary>
    public int DebounceScans { get; private set; } = 2;

    /// <summary>The ESP32 UART of the serial test port (docs/test-port.md): 1 or 2, or 0 for none.</summary>
    public int TestPortUart { get; private set; }

    /// <summary>The test port's TX pin (to the adapter's RX); -1 when there is no test port.</summary>
    public int TestPortTxPin { get; private set; } = -1;

    /// <summary>The test port's RX pin (from the adapter's TX); -1 when there is no test port.</summary>
    public int TestPortRxPin { get; private set; } = -1;

    public int TestPortBaudRate { get; private set; } = 115200;

    /// <summary>nanoFramework's name for the test port's UART: UART1 is COM2, UART2 is COM3.</summary>
    public string TestPortName => "COM" + (TestPortUart + 1).ToString();

    /// <summary>The PIN record's file on the internal flash file system.</summary>
    public string PinFile { get; private set; } = "I:\\pin.rec";

    /// <summary>
    /// Bytes of the image flash (two equal halves, docs/tftp.md), a file on the internal flash
    /// file system; 0: no image flash, the phone fetches and verifies the image but keeps none.
    /// </summary>
    public int ImageFlashBytes { get; private set; }

    /// <summary>The image flash's file on the internal flash file system.</summary>
    public string ImageFile { get; private set; } = "I:\\image.bin";

    /// <summary>The call-control protocol: "bench" (our controller) or "sip" (docs/sip.md, hardware/README.md).</summary>
    public string CallControl { get; private set; } = "bench";

    /// <summary>With call-control sip: the vendor's transport code (1 udp, 2 tcp, 4 tls), or 0 for what the configuration files say.</summary>
    public int SipTransportCode { get; private set; }

    /// <summary>With call-control sip: the model named in &lt;model&gt;.cfg.</summary>
    public string SipModel { get; private set; } = "6867i";

    /// <summary>With call-control sip: the line's local UDP/TCP port.</summary>
    public int SipPort { get; private set; } = 5060;

    /// <summary>Longest sleep of the step loop: bounds key latency and how often sockets are polled.</summary>
    public int LoopMaxSleepMilliseconds { get; private set; } = 20;

    private const int MaxKeys = 40;

    // The line each key was set on, so a check after parsing can name it (0: the default).
    private readonly string[] _setKeys = new string[MaxKeys];
    private readonly int[] _setLines = new int[MaxKeys];
    private int _setCount;
    private int[] _confirmPosition = new int[] { 4, 4 };
    private int[] _backspacePosition = new int[] { 3, 4 };

    public static BoardProfile Parse(string text)
    {
        BoardProfile profile = new BoardProfile();
        int lineNumber = 0;
        int start = 0;
        while (start <= text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            lineNumber++;
            string line = text.Substring(start, end - start);
            int hash = CommentStart(line);
            if (hash >= 0)
            {
                line = line.Substring(0, hash);
            }

            line = line.Trim();
            if (line.Length > 0)
            {
                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    throw new ArgumentException("board profile line " + lineNumber.ToString() + ": expected key = value");
                }

                profile.Set(line.Substring(0, equals).Trim(), line.Substring(equals + 1).Trim(), lineNumber);
            }

            start = end + 1;
        }

        BoardProfileChecks.Check(profile);
        return profile;
    }

    // A '#' starts a comment at the start of a line or after a space or tab, so that the keypad
    // map's own '#' key ("...*0#D") is a value, not a comment.
    private static int CommentStart(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Where a refused value came from, for the message: "board profile line 7: keypad-rows" when
    /// the profile set it, "board profile: keypad-rows (default)" when it did not.
    /// </summary>
    public string Where(string key)
    {
        int line = LineOf(key);
        return line > 0 ? "board profile line " + line.ToString() + ": " + key : "board profile: " + key + " (default)";
    }

    private int LineOf(string key)
    {
        for (int i = 0; i < _setCount; i++)
        {
            if (_setKeys[i] == key)
            {
                return _setLines[i];
            }
        }

        return 0;
    }

    /// <summary>The confirm key's "row, column" as the profile gave it (or the default).</summary>
    public int[] KeypadConfirmPosition => _confirmPosition;

    /// <summary>The backspace key's "row, column" as the profile gave it (or the default).</summary>
    public int[] KeypadBackspacePosition => _backspacePosition;

    private void Set(string key, string value, int line)
    {
        if (value.Length == 0 && key != "wifi-ssid" && key != "wifi-password")
        {
            throw new ArgumentException("board profile line " + line.ToString() + ": " + key + " needs a value");
        }

        int first = LineOf(key);
        if (first > 0)
        {
            throw new ArgumentException("board profile line " + line.ToString() + ": " + key + " is set twice (first on line " + first.ToString() + ")");
        }

        if (_setCount < MaxKeys)
        {
            _setKeys[_setCount] = key;
            _setLines[_setCount] = line;
            _setCount++;
        }

        switch (key)
        {
            case "board": Board = value; break;
            case "network": Network = OneOf(value, "ethernet", "wifi", key, line); break;
            case "address-bootstrap": AddressBootstrap = OneOf(value, "native-lease", "none", key, line); break;
            case "wifi-ssid": WifiSsid = value; break;
            case "wifi-password": WifiPassword = value; break;
            case "i2c-bus": I2cBus = Number(value, key, line); break;
            case "i2c-sda": I2cDataPin = Number(value, key, line); break;
            case "i2c-scl": I2cClockPin = Number(value, key, line); break;
            case "display-address": DisplayAddress = Number(value, key, line); break;
            case "display-width": DisplayWidth = Number(value, key, line); break;
            case "display-height": DisplayHeight = Number(value, key, line); break;
            case "keypad-rows": KeypadRowPins = Numbers(value, key, line); break;
            case "keypad-columns": KeypadColumnPins = Numbers(value, key, line); break;
            case "keypad-pull-up": KeypadPullUp = OneOf(value, "internal", "external", key, line); break;
            case "keypad-map": KeypadMap = value; break;
            case "keypad-confirm": _confirmPosition = Position(value, key, line); break;
            case "keypad-backspace": _backspacePosition = Position(value, key, line); break;
            case "debounce-scans": DebounceScans = Number(value, key, line); break;
            case "pin-file": PinFile = value; break;
            case "image-flash-bytes": ImageFlashBytes = Number(value, key, line); break;
            case "image-file": ImageFile = value; break;
            case "loop-max-sleep-ms": LoopMaxSleepMilliseconds = Number(value, key, line); break;
            case "test-port-uart": TestPortUart = Number(value, key, line); break;
            case "test-port-tx": TestPortTxPin = Number(value, key, line); break;
            case "test-port-rx": TestPortRxPin = Number(value, key, line); break;
            case "test-port-baud": TestPortBaudRate = Number(value, key, line); break;
            case "call-control": CallControl = OneOf(value, "bench", "sip", key, line); break;
            case "sip-transport": SipTransportCode = TransportCode(value, key, line); break;
            case "sip-model": SipModel = value; break;
            case "sip-port": SipPort = Number(value, key, line); break;
            default: throw new ArgumentException("board profile line " + line.ToString() + ": unknown key '" + key + "'");
        }
    }

    private static int TransportCode(string value, string key, int line)
    {
        switch (value)
        {
            case "udp": return 1;
            case "tcp": return 2;
            case "tls": return 4;
            default: throw new ArgumentException("board profile line " + line.ToString() + ": " + key + " is udp, tcp or tls");
        }
    }

    private static string OneOf(string value, string first, string second, string key, int line)
    {
        if (value != first && value != second)
        {
            throw new ArgumentException("board profile line " + line.ToString() + ": " + key + " is " + first + " or " + second);
        }

        return value;
    }

    private static int[] Position(string value, string key, int line)
    {
        int[] position = Numbers(value, key, line);
        if (position.Length != 2 || position[0] < 1 || position[1] < 1)
        {
            throw new ArgumentException("board profile line " + line.ToString() + ": " + key + " is \"row, column\", counted from 1");
        }

        return position;
    }

    private static int[] Numbers(string value, string key, int line)
    {
        string[] parts = value.Split(',');
        int[] numbers = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            numbers[i] = Number(parts[i].Trim(), key, line);
        }

        return numbers;
    }

    private static int Number(string value, string key, int line)
    {
        int result = 0;
        int radix = 10;
        int start = 0;
        if (value.Length > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X'))
        {
            radix = 16;
            start = 2;
        }

        if (value.Length == start || value.Length - start > 7)
        {
            throw new ArgumentException("board profile line " + line.ToString() + ": " + key + " is not a number");
        }

        for (int i = start; i < value.Length; i++)
        {
            int digit = DigitValue(value[i]);
            if (digit < 0 || digit >= radix)
            {
                throw new ArgumentException("board profile line " + line.ToString() + ": " + key + " is not a number");
            }

            result = (result * radix) + digit;
        }

        return result;
    }

    private static int DigitValue(char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }

        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }

        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }

        return -1;
    }
}
