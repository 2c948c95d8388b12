// Reference-only stub. Transcribed from nanoframework/System.IO.Ports@3cc8cdfcc2f8 (tag v1.1.139):
// System.IO.Ports/SerialPort.cs, Parity.cs, StopBits.cs (signatures only; members the device code
// uses, enum values as upstream).
namespace System.IO.Ports
{
    public sealed class SerialPort : IDisposable
    {
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) => throw null;

        public int ReadTimeout { get => throw null; set => throw null; }

        public int WriteTimeout { get => throw null; set => throw null; }

        public int BytesToRead => throw null;

        public bool IsOpen => throw null;

        public void Open() => throw null;

        public void Close() => throw null;

        public int Read(byte[] buffer, int offset, int count) => throw null;

        public void Write(byte[] buffer, int offset, int count) => throw null;

        public void Dispose() => throw null;
    }

    public enum Parity
    {
        None = 0,
        Odd = 1,
        Even = 2,
    }

    public enum StopBits
    {
        One = 1,
        Two = 2,
        OnePointFive = 3,
    }
}
