using System;
using System.Device.Gpio;
using System.Threading;

namespace Hal.Esp32;

/// <summary>
/// A row/column key matrix on GPIO. Rows are outputs held high; a scan pulls one row low at a
/// time and reads the columns (pulled up), so a pressed key reads low. The entry point calls
/// <see cref="Scan"/> from its loop; debounced presses queue for <see cref="ReadKey"/>.
/// The map comes from <see cref="BoardProfile.KeypadScanMap"/>, so the profile's confirm and
/// backspace positions read as <see cref="Keys.Confirm"/> and <see cref="Keys.Backspace"/>;
/// other keys the phone does not use (the rest of A-D on a 4x4 pad) are dropped here. Keys
/// already down when the driver starts (the '*' held through power-up) are not queued.
/// </summary>
public sealed class MatrixKeypad : IKeypad
{
    private const int QueueSize = 16;

    private readonly GpioPin[] _rows;
    private readonly GpioPin[] _columns;
    private readonly string _map;
    private readonly KeyDebouncer _debouncer;
    private readonly char[] _queue = new char[QueueSize];
    private int _head;
    private int _count;

    /// <summary>
    /// Opens the pins. GpioController.OpenPin throws for a pin already open or missing and
    /// SetPinMode for a mode the pin lacks (the board profile refuses those first); should the
    /// library still refuse one, the fault is reported and the keypad stays empty (no keys, the
    /// phone keeps running: a stored PIN still registers, the test port still types).
    /// </summary>
    public MatrixKeypad(GpioController gpio, int[] rowPins, int[] columnPins, string map, bool internalPullUps, int debounceScans, DriverFaults faults)
    {
        _map = map;
        _rows = new GpioPin[rowPins.Length];
        _columns = new GpioPin[columnPins.Length];
        int pin = -1;
        try
        {
            for (int r = 0; r < rowPins.Length; r++)
            {
                pin = rowPins[r];
                _rows[r] = gpio.OpenPin(pin, PinMode.Output);
                _rows[r].Write(PinValue.High);
            }

            for (int c = 0; c < columnPins.Length; c++)
            {
                pin = columnPins[c];
                _columns[c] = gpio.OpenPin(pin, internalPullUps ? PinMode.InputPullUp : PinMode.Input);
            }

            Available = true;
        }
        catch (Exception error)
        {
            faults.Report("keypad", "GPIO" + pin.ToString() + " refused: " + error.Message + "; no keypad");
        }

        _debouncer = new KeyDebouncer(debounceScans, Available ? ReadMatrix() : 0);
    }

    /// <summary>False when a pin could not be opened: the keypad then reads no keys.</summary>
    public bool Available { get; }

    /// <summary>Reads the matrix once and queues keys that went down. Call every few milliseconds.</summary>
    public void Scan()
    {
        if (!Available)
        {
            return;
        }

        int pressed = _debouncer.Update(ReadMatrix());
        for (int i = 0; pressed != 0 && i < _map.Length; i++)
        {
            int bit = 1 << i;
            if ((pressed & bit) != 0)
            {
                pressed &= ~bit;
                Enqueue(_map[i]);
            }
        }
    }

    public char ReadKey()
    {
        if (_count == 0)
        {
            return Keys.None;
        }

        char key = _queue[_head];
        _head = (_head + 1) % QueueSize;
        _count--;
        return key;
    }

    /// <summary>Three raw scans 5 ms apart must all see the key down (used once, at power-up).</summary>
    public bool IsHeld(char key)
    {
        int index = _map.IndexOf(key);
        if (index < 0 || !Available)
        {
            return false;
        }

        int bit = 1 << index;
        for (int i = 0; i < 3; i++)
        {
            if (i > 0)
            {
                Thread.Sleep(5);
            }

            if ((ReadMatrix() & bit) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private int ReadMatrix()
    {
        int state = 0;
        for (int r = 0; r < _rows.Length; r++)
        {
            _rows[r].Write(PinValue.Low);
            for (int c = 0; c < _columns.Length; c++)
            {
                if (_columns[c].Read() == PinValue.Low)
                {
                    state |= 1 << ((r * _columns.Length) + c);
                }
            }

            _rows[r].Write(PinValue.High);
        }

        return state;
    }

    private void Enqueue(char key)
    {
        if (!Keys.IsValid(key) || _count == QueueSize)
        {
            return;
        }

        _queue[(_head + _count) % QueueSize] = key;
        _count++;
    }
}
