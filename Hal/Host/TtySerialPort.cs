using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Hal.Host;

/// <summary>
/// A serial line on a tty device file (a USB-serial adapter, or one end of a pseudo-terminal pair
/// such as socat makes), opened non-blocking and put in raw mode (no echo, no line editing, 8 data
/// bits) with the C library's termios calls. Linux only.
/// </summary>
public sealed class TtySerialPort : ISerialPort, IDisposable
{
    private const int ReadWrite = 2;
    private const int NoControllingTerminal = 0x100;
    private const int NonBlocking = 0x800;
    private const int SetNow = 0;
    private const int TryAgain = 11;
    private const int Interrupted = 4;

    // struct termios is treated as opaque bytes: the C library fills and reads it (60 bytes on glibc).
    private const int TermiosSize = 256;

    private int _descriptor;

    public TtySerialPort(string path, int baudRate)
    {
        Path = path;
        int speed = SpeedConstant(baudRate);
        _descriptor = NativeMethods.open(path, ReadWrite | NoControllingTerminal | NonBlocking);
        if (_descriptor < 0)
        {
            throw new IOException(path + ": " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }

        byte[] termios = new byte[TermiosSize];
        if (NativeMethods.tcgetattr(_descriptor, termios) != 0)
        {
            string reason = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            Close();
            throw new IOException(path + " is not a terminal (" + reason + ")");
        }

        NativeMethods.cfmakeraw(termios);
        if (NativeMethods.cfsetispeed(termios, speed) != 0 || NativeMethods.cfsetospeed(termios, speed) != 0 || NativeMethods.tcsetattr(_descriptor, SetNow, termios) != 0)
        {
            string reason = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            Close();
            throw new IOException(path + ": cannot set raw mode at " + baudRate.ToString(System.Globalization.CultureInfo.InvariantCulture) + " baud (" + reason + ")");
        }
    }

    public string Path { get; }

    /// <summary>The baud rates this driver can set (the termios B* constants).</summary>
    public static bool IsSupportedBaudRate(int baudRate)
    {
        return SpeedConstant(baudRate) != 0;
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        CheckRange(buffer, offset, count);
        if (count == 0)
        {
            return 0;
        }

        byte[] chunk = offset == 0 ? buffer : new byte[count];
        nint read = NativeMethods.read(Descriptor(), chunk, count);
        if (read < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error == TryAgain || error == Interrupted)
            {
                return 0;
            }

            throw new IOException(Path + ": " + Marshal.GetPInvokeErrorMessage(error));
        }

        if (chunk != buffer)
        {
            Array.Copy(chunk, 0, buffer, offset, (int)read);
        }

        return (int)read;
    }

    public int Write(byte[] data, int offset, int count)
    {
        CheckRange(data, offset, count);
        if (count == 0)
        {
            return 0;
        }

        byte[] chunk = data;
        if (offset != 0)
        {
            chunk = new byte[count];
            Array.Copy(data, offset, chunk, 0, count);
        }

        nint written = NativeMethods.write(Descriptor(), chunk, count);
        if (written < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error == TryAgain || error == Interrupted)
            {
                return 0;
            }

            throw new IOException(Path + ": " + Marshal.GetPInvokeErrorMessage(error));
        }

        return (int)written;
    }

    public void Close()
    {
        if (_descriptor >= 0)
        {
            _ = NativeMethods.close(_descriptor);
            _descriptor = -1;
        }
    }

    public void Dispose()
    {
        Close();
    }

    private int Descriptor()
    {
        return _descriptor >= 0 ? _descriptor : throw new ObjectDisposedException(Path);
    }

    private static void CheckRange(byte[] buffer, int offset, int count)
    {
        if (offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }
    }

    // Linux's termios speed constants (asm-generic/termbits.h).
    private static int SpeedConstant(int baudRate)
    {
        switch (baudRate)
        {
            case 9600: return 0x0D;
            case 19200: return 0x0E;
            case 38400: return 0x0F;
            case 57600: return 0x1001;
            case 115200: return 0x1002;
            case 230400: return 0x1003;
            case 460800: return 0x1004;
            case 921600: return 0x1007;
            default: return 0;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int descriptor);

        [DllImport("libc", SetLastError = true)]
        public static extern nint read(int descriptor, byte[] buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        public static extern nint write(int descriptor, byte[] buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        public static extern int tcgetattr(int descriptor, byte[] termios);

        [DllImport("libc", SetLastError = true)]
        public static extern int tcsetattr(int descriptor, int when, byte[] termios);

        [DllImport("libc")]
        public static extern void cfmakeraw(byte[] termios);

        [DllImport("libc", SetLastError = true)]
        public static extern int cfsetispeed(byte[] termios, int speed);

        [DllImport("libc", SetLastError = true)]
        public static extern int cfsetospeed(byte[] termios, int speed);
    }
}
