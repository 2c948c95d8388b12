using System.Collections.Generic;

// Host stand-ins for the few System.Device.Gpio members MatrixKeypad uses (same names and
// shapes as nanoFramework's, Tests/DeviceCompileCheck/Stubs/System.Device.Gpio), wired as a key
// matrix: a column reads low while a row driven low has a pressed key on it.
namespace System.Device.Gpio;

public enum PinMode
{
    Input,
    InputPullDown,
    InputPullUp,
    Output,
}

public readonly struct PinValue : IEquatable<PinValue>
{
    private readonly byte _value;

    private PinValue(byte value)
    {
        _value = value;
    }

    public static PinValue High => new(1);

    public static PinValue Low => new(0);

    public static bool operator ==(PinValue a, PinValue b) => a._value == b._value;

    public static bool operator !=(PinValue a, PinValue b) => a._value != b._value;

    public bool Equals(PinValue other) => _value == other._value;

    public override bool Equals(object? obj) => obj is PinValue other && Equals(other);

    public override int GetHashCode() => _value;
}

public sealed class GpioController
{
    private readonly Dictionary<int, GpioPin> _open = new();

    /// <summary>Pins whose OpenPin throws as nanoFramework's does for a pin it refuses.</summary>
    public HashSet<int> Refused { get; } = new();

    /// <summary>Pressed keys as (row pin, column pin).</summary>
    public HashSet<(int Row, int Column)> Pressed { get; } = new();

    public GpioPin OpenPin(int pinNumber, PinMode mode)
    {
        if (Refused.Contains(pinNumber) || _open.ContainsKey(pinNumber))
        {
            throw new InvalidOperationException("pin " + pinNumber + " is already open");
        }

        GpioPin pin = new(this, pinNumber);
        _open[pinNumber] = pin;
        return pin;
    }

    internal PinValue ReadColumn(int column)
    {
        foreach ((int row, int pressedColumn) in Pressed)
        {
            if (pressedColumn == column && _open.TryGetValue(row, out GpioPin? rowPin) && rowPin.Driven == PinValue.Low)
            {
                return PinValue.Low;
            }
        }

        return PinValue.High;
    }
}

public sealed class GpioPin
{
    private readonly GpioController _controller;

    internal GpioPin(GpioController controller, int pinNumber)
    {
        _controller = controller;
        PinNumber = pinNumber;
    }

    public int PinNumber { get; }

    internal PinValue Driven { get; private set; } = PinValue.High;

    public PinValue Read() => _controller.ReadColumn(PinNumber);

    public void Write(PinValue value)
    {
        Driven = value;
    }
}
