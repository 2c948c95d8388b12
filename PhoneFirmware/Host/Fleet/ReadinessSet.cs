using System;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// The sockets one <see cref="FleetWorker"/> waits on, as a Linux epoll set: a wait costs what is
/// ready, not what is watched. Socket.Select (poll) walks every socket of the worker on every
/// call — at 10,000 phones, thousands per call, and most calls find a handful ready. Level
/// triggered, for reading only (errors and hang-ups are always reported): what the phone does not
/// read is reported again, as Select did. Each socket is known by a token the worker chooses.
/// </summary>
public sealed class ReadinessSet : IDisposable
{
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int EpollCtlMod = 3;
    private const uint EpollIn = 0x001;
    private const uint EpollOut = 0x004;
    private const int EpollCloexec = 0x80000;
    private const int Interrupted = 4; // EINTR

    // struct epoll_event is packed on x86-64 (4 + 8 bytes), naturally aligned elsewhere (4 + 4 padding + 8).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = EventSize - 8;

    private readonly int _epoll;
    private readonly byte[] _events;
    private readonly byte[] _one;
    private bool _disposed;

    public ReadinessSet(int capacity)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("epoll needs Linux");
        }

        _epoll = EpollCreate1(EpollCloexec);
        if (_epoll < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_create1");
        }

        _events = new byte[capacity * EventSize];
        _one = new byte[EventSize];
    }

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Watches <paramref name="socket"/> for reading (and for writing while <paramref name="writable"/>: a connect's end); <see cref="Wait"/> reports it by <paramref name="token"/>.</summary>
    public void Add(Socket socket, long token, bool writable = false)
    {
        Control(EpollCtlAdd, socket, token, writable ? EpollIn | EpollOut : EpollIn, "epoll_ctl add");
    }

    /// <summary>Its connect ended: watch <paramref name="socket"/> for reading only (a connected socket is always writable).</summary>
    public void ReadOnly(Socket socket, long token)
    {
        Control(EpollCtlMod, socket, token, EpollIn, "epoll_ctl mod");
    }

    /// <summary>Stops watching <paramref name="socket"/> (before it closes: a closed descriptor may be reused).</summary>
    public void Remove(Socket socket)
    {
        EpollCtl(_epoll, EpollCtlDel, (int)socket.Handle, _one);
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for ready sockets; writes their tokens and returns how many.</summary>
    public int Wait(long[] tokens, int timeoutMilliseconds)
    {
        int most = Math.Min(tokens.Length, _events.Length / EventSize);
        int ready = EpollWait(_epoll, _events, most, timeoutMilliseconds);
        if (ready < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error == Interrupted)
            {
                return 0;
            }

            throw new Win32Exception(error, "epoll_wait");
        }

        for (int i = 0; i < ready; i++)
        {
            tokens[i] = BinaryPrimitives.ReadInt64LittleEndian(_events.AsSpan((i * EventSize) + DataOffset));
        }

        return ready;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Close(_epoll);
        }
    }

    private void Control(int operation, Socket socket, long token, uint events, string what)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_one, events);
        BinaryPrimitives.WriteInt64LittleEndian(_one.AsSpan(DataOffset), token);
        if (EpollCtl(_epoll, operation, (int)socket.Handle, _one) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), what);
        }
    }

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static extern int EpollCreate1(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static extern int EpollCtl(int epoll, int operation, int descriptor, byte[] epollEvent);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static extern int EpollWait(int epoll, byte[] events, int maxEvents, int timeout);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
