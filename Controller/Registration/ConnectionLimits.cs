using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Controller.Registration;

/// <summary>
/// What one registration link may cost the element (issue 15): a new link must deliver a complete
/// frame within <see cref="FirstFrame"/>, a served link one at least every <see cref="Idle"/>
/// (phones send a Keepalive every 10 s; a half frame or one byte a second does not count), and one
/// source address holds at most <see cref="PerSource"/> links at once. Refused and timed-out
/// links are counted.
/// </summary>
public sealed class ConnectionLimits
{
    private readonly ConcurrentDictionary<IPAddress, int> _perSource = new();
    private long _refused;
    private long _timedOut;

    public ConnectionLimits(TimeSpan firstFrame, TimeSpan idle, int perSource)
    {
        FirstFrame = firstFrame;
        Idle = idle;
        PerSource = perSource;
    }

    /// <summary>The defaults of the configuration file's registration section (docs/controller-config.md).</summary>
    public static ConnectionLimits Default => new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), 16384);

    public TimeSpan FirstFrame { get; }

    public TimeSpan Idle { get; }

    public int PerSource { get; }

    /// <summary>Links closed at accept because their source already held <see cref="PerSource"/>.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Links closed because no complete frame came within the first-frame or idle time.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>True when the link may be served (then <see cref="Release"/> it when done); false: close it.</summary>
    public bool TryAdmit(IPAddress source)
    {
        int count = _perSource.AddOrUpdate(source, 1, (_, n) => n + 1);
        if (count <= PerSource)
        {
            return true;
        }

        Release(source);
        Interlocked.Increment(ref _refused);
        return false;
    }

    public void Release(IPAddress source)
    {
        int left = _perSource.AddOrUpdate(source, 0, (_, n) => n - 1);
        if (left <= 0)
        {
            _perSource.TryRemove(new System.Collections.Generic.KeyValuePair<IPAddress, int>(source, 0));
        }
    }

    public void CountTimeout()
    {
        Interlocked.Increment(ref _timedOut);
    }

    /// <summary>The link's source address, read at accept (a closed socket no longer has one).</summary>
    public static IPAddress Source(Socket socket)
    {
        try
        {
            return (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        }
        catch (ObjectDisposedException)
        {
            return IPAddress.None;
        }
    }
}
