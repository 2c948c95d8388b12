using System.IO.Ports;

namespace Hal.Esp32;

/// <summary>
/// A UART as an <see cref="ISerialPort"/>: nanoFramework's <see cref="SerialPort"/> at 8N1. The
/// caller has routed the UART's pins first (Configuration.SetPinFunction with COMn_TX/COMn_RX).
/// Reads take only what <see cref="SerialPort.BytesToRead"/> says is waiting, so they never block;
/// writes hand everything to the UART driver, which may wait while its transmit buffer drains.
/// </summary>
public sealed class Esp32SerialPort : ISerialPort
{
    private readonly SerialPort _port;

    /// <param name="portName">nanoFramework's name: "COM2" is UART1, "COM3" is UART2 (COM1, UART0, carries the debugger).</param>
    public Esp32SerialPort(string portName, int baudRate)
    {
        _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
        _port.ReadTimeout = 0;
        _port.Open();
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int waiting = _port.BytesToRead;
        if (waiting <= 0 || count <= 0)
        {
            return 0;
        }

        return _port.Read(buffer, offset, waiting < count ? waiting : count);
    }

    public int Write(byte[] data, int offset, int count)
    {
        if (count > 0)
        {
            _port.Write(data, offset, count);
        }

        return count;
    }

    public void Close()
    {
        _port.Dispose();
    }
}
