using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Hal.Host;
using Protocol.Common;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// One of the fleet's few threads: it steps its share of the phones, each when its core's next
/// deadline passes or one of its sockets becomes readable. No thread or timer per phone: one
/// queue ordered by deadline, one wait on every socket the phones hold (an epoll set on Linux,
/// <see cref="ReadinessSet"/>, whose wait costs what is ready; Socket.Select elsewhere), and a
/// wake socket for what other threads report (a relayed DHCP reply). A TCP connect's end is
/// reported by the same wait (writable). With a window (--window) at most that many of its phones
/// are between power-up and their first settled outcome; the next powers up when one settles.
/// </summary>
public sealed class FleetWorker : IDisposable
{
    // Even with nothing due the loop looks round this often (stop requests, clock drift).
    private const int LongestWaitMilliseconds = 100;

    // Ready sockets taken from one epoll wait at most; the rest are reported by the next.
    private const int ReadyPerWait = 1024;
    private const long WakeToken = 0;

    private readonly List<FleetPhone> _phones = new();
    private readonly PriorityQueue<FleetPhone, long> _due = new();
    private readonly ReadinessSet? _readiness;
    private readonly long[] _readyTokens = new long[ReadyPerWait];
    private readonly Dictionary<long, FleetPhone> _byToken = new();
    private readonly Dictionary<Socket, long> _tokens = new();
    private readonly Dictionary<long, WatchedStreamConnection> _connecting = new();
    private long _lastToken = WakeToken;

    // Without epoll (not Linux): every watched socket goes to Socket.Select, a connecting one for writing and errors too.
    private readonly List<Socket> _watched = new();
    private readonly List<Socket> _ready = new();
    private readonly List<Socket> _connectingSockets = new();
    private readonly List<Socket> _writable = new();
    private readonly List<Socket> _errored = new();
    private readonly ConcurrentQueue<FleetPhone> _woken = new();
    private readonly Socket _wakeReceiver;
    private readonly Socket _wakeSender;
    private readonly EndPoint _wakeEndpoint;
    private readonly byte[] _wakeBuffer = new byte[64];
    private readonly SystemClock _clock;
    private readonly Thread _thread;
    private readonly int _window;
    private int _poweredUp;
    private int _inWindow;
    private long _allocatedAtStart;
    private int _wakePending;
    private volatile bool _stopping;

    /// <param name="window">At most this many of the worker's phones between power-up and settled; 0: all power up at once.</param>
    public FleetWorker(int number, SystemClock clock, int window = 0)
    {
        _clock = clock;
        _window = window;
        _wakeReceiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeReceiver.Blocking = false;
        _wakeEndpoint = _wakeReceiver.LocalEndPoint!;
        _wakeSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        if (ReadinessSet.IsSupported)
        {
            _readiness = new ReadinessSet(ReadyPerWait);
            _readiness.Add(_wakeReceiver, WakeToken);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "fleet-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    /// <summary>Why the worker stopped early (an exception in a phone's step), or null.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>What the loop did so far (read from another thread: a moment's skew is fine).</summary>
    public FleetLoopCounters Counters { get; } = new();

    public void Add(FleetPhone phone)
    {
        _phones.Add(phone);
    }

    public void Start()
    {
        _thread.Start();
    }

    /// <summary>Asks the thread to shut its phones down (leases released, links closed) and waits for it.</summary>
    public void StopAndJoin()
    {
        _stopping = true;
        SignalWake();
        _thread.Join();
    }

    /// <summary>From any thread: step <paramref name="phone"/> soon (I/O for it arrived elsewhere).</summary>
    public void Wake(FleetPhone phone)
    {
        Counters.CountWake();
        _woken.Enqueue(phone);
        SignalWake();
    }

    /// <summary>On this worker's thread: step the phone when <paramref name="socket"/> is readable.</summary>
    public void Watch(Socket socket, FleetPhone phone)
    {
        long token = ++_lastToken;
        _tokens[socket] = token;
        _byToken[token] = phone;
        if (_readiness != null)
        {
            _readiness.Add(socket, token);
        }
        else
        {
            _watched.Add(socket);
        }
    }

    /// <summary>On this worker's thread: a TCP connect in progress; its end (either way) steps the phone, the connection told first.</summary>
    public void WatchConnect(Socket socket, FleetPhone phone, WatchedStreamConnection connection)
    {
        long token = ++_lastToken;
        _tokens[socket] = token;
        _byToken[token] = phone;
        _connecting[token] = connection;
        if (_readiness != null)
        {
            _readiness.Add(socket, token, writable: true);
        }
        else
        {
            _watched.Add(socket);
            _connectingSockets.Add(socket);
        }
    }

    /// <summary>On this worker's thread: the socket is about to close.</summary>
    public void Unwatch(Socket socket)
    {
        if (!_tokens.Remove(socket, out long token))
        {
            return;
        }

        _byToken.Remove(token);
        _connecting.Remove(token);
        if (_readiness != null)
        {
            _readiness.Remove(socket);
        }
        else
        {
            _watched.Remove(socket);
            _connectingSockets.Remove(socket);
        }
    }

    public void Dispose()
    {
        _readiness?.Dispose();
        _wakeReceiver.Dispose();
        _wakeSender.Dispose();
    }

    private void SignalWake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            _wakeSender.SendTo(_wakeBuffer, 0, 1, SocketFlags.None, _wakeEndpoint);
        }
    }

    private void Run()
    {
        try
        {
            _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
            while (_poweredUp < _phones.Count && (_window == 0 || _inWindow < _window))
            {
                PowerUpNext();
            }

            while (!_stopping)
            {
                RunOnce();
                Counters.Allocated(GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A fault in one phone's step is a bug in the core or a driver: report it, never hang the fleet.
            Fault = error;
        }

        foreach (FleetPhone phone in _phones)
        {
            phone.Shutdown(_clock.NowMilliseconds);
        }
    }

    private void RunOnce()
    {
        while (_woken.TryDequeue(out FleetPhone? woken))
        {
            StepNow(woken);
        }

        long now = _clock.NowMilliseconds;
        while (_due.TryPeek(out FleetPhone? phone, out long deadline) && deadline <= now)
        {
            _due.Dequeue();
            if (phone.ScheduledAt == deadline)
            {
                phone.ScheduledAt = Deadline.None;
                StepNow(phone);
                now = _clock.NowMilliseconds;
            }
        }

        long wait = LongestWaitMilliseconds;
        if (_due.TryPeek(out _, out long next))
        {
            wait = Math.Clamp(next - _clock.NowMilliseconds, 0, LongestWaitMilliseconds);
        }

        Counters.CountWait();
        if (_readiness != null)
        {
            int ready = _readiness.Wait(_readyTokens, (int)wait);
            Counters.CountReady(ready);
            for (int i = 0; i < ready; i++)
            {
                OnReady(_readyTokens[i]);
            }

            return;
        }

        _ready.Clear();
        _ready.AddRange(_watched);
        _ready.Add(_wakeReceiver);
        _writable.Clear();
        _writable.AddRange(_connectingSockets);
        _errored.Clear();
        _errored.AddRange(_connectingSockets);
        Socket.Select(_ready, _writable.Count > 0 ? _writable : null, _errored.Count > 0 ? _errored : null, (int)(wait * 1000));
        Counters.CountReady(_ready.Count + _writable.Count + _errored.Count);
        OnReady(_ready);
        OnReady(_writable);
        OnReady(_errored);
    }

    private void OnReady(List<Socket> sockets)
    {
        foreach (Socket socket in sockets)
        {
            OnReady(socket == _wakeReceiver ? WakeToken : _tokens.GetValueOrDefault(socket, -1));
        }
    }

    private void OnReady(long token)
    {
        if (_connecting.Remove(token, out WatchedStreamConnection? connection))
        {
            // The connect ended: the connection learns how before its phone is stepped; a connected socket is watched for reading only.
            // (A failed one is the phone's to see in this step; it closes the link.)
            if (connection.ConnectEnded() && _readiness != null)
            {
                _readiness.ReadOnly(connection.Socket, token);
            }

            _connectingSockets.Remove(connection.Socket);
        }

        if (token == WakeToken)
        {
            Interlocked.Exchange(ref _wakePending, 0);
            while (_wakeReceiver.Available > 0)
            {
                _wakeReceiver.Receive(_wakeBuffer);
            }
        }
        else if (_byToken.TryGetValue(token, out FleetPhone? owner))
        {
            // A phone with two ready sockets is stepped twice: the second step finds little to do.
            StepNow(owner);
        }
    }

    private void StepNow(FleetPhone phone)
    {
        Counters.CountStep();
        Schedule(phone, phone.Step(_clock.NowMilliseconds));
        LeaveWindowIfSettled(phone);
    }

    // Settled (registered, at a prompt it has no PIN for, refused): its place in the window goes to the next phone.
    private void LeaveWindowIfSettled(FleetPhone phone)
    {
        if (phone.InWindow && phone.Outcome != FleetOutcome.Pending)
        {
            phone.InWindow = false;
            _inWindow--;
            if (_poweredUp < _phones.Count)
            {
                PowerUpNext();
            }
        }
    }

    private void PowerUpNext()
    {
        FleetPhone phone = _phones[_poweredUp++];
        phone.InWindow = _window > 0;
        _inWindow += _window > 0 ? 1 : 0;
        long now = _clock.NowMilliseconds;
        phone.PowerUp(now);
        Counters.CountStep();
        Schedule(phone, phone.Step(now));
        LeaveWindowIfSettled(phone);
    }

    // One queue entry per phone and deadline: a phone stepped again with the same deadline keeps
    // its entry; an earlier or later one adds an entry and the old one is skipped when it comes up.
    private void Schedule(FleetPhone phone, long deadline)
    {
        if (deadline == Deadline.None || deadline == phone.ScheduledAt)
        {
            return;
        }

        phone.ScheduledAt = deadline;
        _due.Enqueue(phone, deadline);
    }
}
