// Reference-only stub. Transcribed from nanoframework/System.Device.Gpio@cd99158280e0:
// System.Device.Gpio/GpioController.cs, GpioPin.cs, PinMode.cs, PinValue.cs (signatures only).
namespace System.Device.Gpio
{
    public sealed class GpioController : IDisposable
    {
        public GpioController() => throw null;

        public GpioPin OpenPin(int pinNumber) => throw null;

        public GpioPin OpenPin(int pinNumber, PinMode mode) => throw null;

        public void ClosePin(int pinNumber) => throw null;

        public void Dispose() => throw null;
    }

    public sealed class GpioPin : IDisposable
    {
        public int PinNumber => throw null;

        public void SetPinMode(PinMode value) => throw null;

        public PinValue Read() => throw null;

        public void Write(PinValue value) => throw null;

        public void Dispose() => throw null;
    }

    public enum PinMode
    {
        Input,
        InputPullDown,
        InputPullUp,
        Output,
        OutputOpenDrain,
        OutputOpenDrainPullUp,
        OutputOpenSource,
        OutputOpenSourcePullDown,
    }

    public readonly struct PinValue
    {
        private readonly byte _value;

        public static PinValue High => throw null;

        public static PinValue Low => throw null;

        public static implicit operator PinValue(int value) => throw null;

        public static implicit operator PinValue(bool value) => throw null;

        public static explicit operator byte(PinValue value) => throw null;

        public static explicit operator int(PinValue value) => throw null;

        public static explicit operator bool(PinValue value) => throw null;

        public bool Equals(PinValue other) => throw null;

        public override bool Equals(object obj) => throw null;

        public static bool operator ==(PinValue a, PinValue b) => throw null;

        public static bool operator !=(PinValue a, PinValue b) => throw null;

        public override int GetHashCode() => throw null;
    }
}
