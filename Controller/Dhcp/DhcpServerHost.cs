using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Protocol.Common;
using Protocol.Dhcp;

namespace Controller.Dhcp;

/// <summary>
/// The element's DHCP server: one UDP socket driving the sans-IO <see cref="DhcpServer"/>.
/// On a real segment (a non-loopback <c>listenAddress</c>) the socket is bound to 0.0.0.0 on the
/// interface that owns <c>listenAddress</c> (SO_BINDTODEVICE), because Linux does not deliver
/// 255.255.255.255 datagrams to a socket bound to a unicast address; a DISCOVER is such a
/// broadcast. Replies go where the sans-IO server says (RFC 2131 §4.1: the relay's port 67,
/// else the client's <c>ciaddr</c>, else 255.255.255.255:68), except on the loopback bench,
/// where the phone listens on the port it sent from and gets the reply there.
/// Time is wall-clock Unix milliseconds so that lease expiry survives a controller restart.
/// One thread receives. It reads the socket dry: every request but a DISCOVER is answered as it
/// is read, a DISCOVER is kept (<see cref="DeferredDiscoverQueue"/>), because a REQUEST completes
/// a client and a DISCOVER only starts one. An ACK promises a lease, so once the socket is drained
/// (or <see cref="MaxBurst"/> ACKs wait) the lease changes are committed in one transaction and
/// only then do the ACKs leave (a lease is persisted before its ACK). Then one kept DISCOVER is
/// answered, its OFFER (no promise) leaving at once, and the socket is read again. Steady state
/// allocates only inside the server.
/// </summary>
public sealed class DhcpServerHost : IAsyncDisposable
{
    /// <summary>ACKs waiting for one lease-table commit at most (the commit comes sooner when the socket is drained).</summary>
    public const int MaxBurst = 64;

    /// <summary>DISCOVERs read ahead of their answer at most (a 10,000-phone storm fits; about 600 bytes each).</summary>
    public const int MaxDeferredDiscovers = 16_384;

    private static readonly string OversizeReason = "oversize: more than " + DhcpMessage.MaximumLength + " bytes";
    private readonly DhcpServer _server;
    private readonly SqliteLeaseStore? _batchedLeases;
    private readonly Socket _socket;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DhcpReplyDestinations _destinations = new();
    private readonly DeferredDiscoverQueue _deferred = new(MaxDeferredDiscovers);
    private readonly byte[][] _replies = new byte[MaxBurst][];
    private readonly SocketAddress[] _replyDestinations = new SocketAddress[MaxBurst];
    private int _waiting;
    private Thread? _loop;
    private volatile bool _stopping;
    private long _dropped;
    private long _answered;
    private long _commits;
    private long _wakes;
    private long _deferredPeak;
    private long _withdrawnOffers;
    private long _trims;
    private int _sinceTrim;

    /// <summary>A summary of the requests left without reply, at most every <see cref="DhcpDropTally.Interval"/> (on the receiving thread).</summary>
    public event Action<string>? Logged;

    /// <summary>The requests left without reply, by reason ("malformed", "oversize", "pool exhausted", …).</summary>
    public DhcpDropTally Drops { get; } = new();

    public DhcpServerHost(ControllerConfig config, string phoneConfigString, IDhcpLeaseStore leases, IPAddress listen, int port)
    {
        _server = new DhcpServer(BuildConfig(config, phoneConfigString, listen), leases);
        _batchedLeases = leases as SqliteLeaseStore;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.EnableBroadcast = true;

        // A boot storm's thousands of DISCOVERs must not overflow the receive buffer (a 10,000-phone
        // storm dropped 2,563 at the 4 MiB the plain option is capped to here); as root (port 67) the cap is passed.
        ReceiveBufferSize = Hal.Host.SocketReceiveBuffer.Enlarge(_socket, ReceiveBufferBytes);
        _socket.ReceiveTimeout = 250;
        Interface = InterfaceOwning(listen);
        if (Interface != null)
        {
            // No SO_REUSEADDR: a second server on this interface's port would answer every
            // broadcast DISCOVER as well; its bind fails instead (address in use).
            BindToDevice(_socket, Interface);
            _socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }
        else
        {
            _socket.Bind(new IPEndPoint(listen, port));
        }
    }

    /// <summary>The socket's SO_RCVBUF request.</summary>
    public const int ReceiveBufferBytes = 16 * 1024 * 1024;

    /// <summary>What the kernel granted (capped by net.core.rmem_max unless the controller runs as root).</summary>
    public int ReceiveBufferSize { get; }

    /// <summary>The interface the socket is bound to (it owns listenAddress), or null on loopback or 0.0.0.0.</summary>
    public string? Interface { get; }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Requests that could not be answered (malformed, not for us, or lost with a failed commit).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Replies sent.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Lease-table commits (one per burst that changed a lease).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Times the receiving thread woke on an empty socket for a datagram (datagrams per wake show how much each wake reads).</summary>
    public long Wakes => Interlocked.Read(ref _wakes);

    /// <summary>Most DISCOVERs held at once, read but not yet answered (see <see cref="DeferredDiscoverQueue"/>).</summary>
    public long DeferredPeak => Interlocked.Read(ref _deferredPeak);

    /// <summary>Slots the DISCOVER queue holds now: a storm grows it, the trim after the storm gives it back.</summary>
    public int DeferredSlots => _deferred.Slots;

    /// <summary>Requests after which a quiet socket (one receive timeout) returns the heap's memory.</summary>
    public const int TrimAfterRequests = 4096;

    /// <summary>Times the host gave memory back to the system after a busy spell.</summary>
    public long Trims => Interlocked.Read(ref _trims);

    /// <summary>Unclaimed offers withdrawn because the pending-offer limit was reached.</summary>
    public long WithdrawnOffers => Interlocked.Read(ref _withdrawnOffers);

    public void Start()
    {
        _loop = new Thread(Loop) { IsBackground = true, Name = "dhcp-server" };
        _loop.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (_loop != null)
        {
            await _stopped.Task.ConfigureAwait(false);
        }

        _socket.Dispose();
    }
    public static DhcpServerConfig BuildConfig(ControllerConfig config, string phoneConfigString, IPAddress listen)
    {
        DhcpServerConfig server = new()
        {
            ServerAddress = HostAddress(config.AdvertisedAddress ?? listen.ToString()),
            PoolStart = HostAddress(config.Dhcp.PoolStart),
            PoolEnd = HostAddress(config.Dhcp.PoolEnd),
            SubnetMask = HostAddress(config.Dhcp.SubnetMask),
            Router = HostAddress(config.Dhcp.Router),
            DnsServers = config.Dhcp.DnsServers.ConvertAll(HostAddress).ToArray(),
            LeaseSeconds = (uint)config.Dhcp.LeaseSeconds,
            PendingOfferLimit = config.Dhcp.PendingOfferLimit,
            PhoneConfigString = phoneConfigString,
            Option125Encoding = config.Dhcp.Option125Encoding,
        };
        foreach (KeyValuePair<string, string> reservation in config.Dhcp.Reservations)
        {
            server.AddReservation(Forms.FormValidation.Mac(reservation.Key), HostAddress(reservation.Value));
        }

        return server;
    }

    private static string? InterfaceOwning(IPAddress listen)
    {
        if (IPAddress.IsLoopback(listen) || listen.Equals(IPAddress.Any) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (NetworkInterface candidate in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (UnicastIPAddressInformation unicast in candidate.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.Equals(listen))
                {
                    return candidate.Name;
                }
            }
        }

        return null;
    }

    // SO_BINDTODEVICE (Linux): receive and send on this interface only.
    private static void BindToDevice(Socket socket, string interfaceName)
    {
        const int SolSocket = 1;
        const int SoBindToDevice = 25;
        byte[] name = new byte[interfaceName.Length + 1];
        for (int i = 0; i < interfaceName.Length; i++)
        {
            name[i] = (byte)interfaceName[i];
        }

        socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
    }

    private static uint HostAddress(string text)
    {
        if (!Ipv4.TryParse(text, out uint address))
        {
            throw new ConfigException("not an IPv4 address: '" + text + "'");
        }

        return address;
    }

    private void Loop()
    {
        try
        {
            Serve();
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void Serve()
    {
        // One byte more than a message may have: a longer datagram arrives cut there and is refused
        // whole as oversize (Linux truncates a datagram to the buffer without saying so).
        byte[] buffer = new byte[DhcpMessage.MaximumLength + 1];
        SocketAddress source = new(AddressFamily.InterNetwork);
        _batchedLeases?.BeginBatch();
        while (!_stopping)
        {
            if (_deferred.Count == 0)
            {
                // Nothing waits: what the last DISCOVERs changed (withdrawn offers) is written before sleeping.
                if (!CommitAndSendAcks())
                {
                    return;
                }

                // Assigned here, not only in the try: a mutation test that drops a catch's `continue`
                // must still compile, or Stryker's safe mode drops every mutant of Serve.
                int received = 0;
                try
                {
                    received = _socket.ReceiveFrom(buffer, SocketFlags.None, source);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
                {
                    TrimIfQuietAfterLoad();
                    Report();
                    continue;
                }
                catch (SocketException)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    continue;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _wakes);
                if (!Take(buffer, received, source))
                {
                    return;
                }
            }

            // Read the socket dry: a REQUEST is answered as it is read, a DISCOVER waits in the queue.
            while (!_deferred.IsFull && _socket.Available > 0)
            {
                int received = 0;
                try
                {
                    received = _socket.ReceiveFrom(buffer, SocketFlags.None, source);
                }
                catch (SocketException)
                {
                    break;
                }

                if (!Take(buffer, received, source))
                {
                    return;
                }
            }

            // Drained: the ACKs' leases are committed and the ACKs leave, then one DISCOVER is
            // answered (its OFFER leaves at once) before the socket is looked at again.
            if (_waiting > 0 && !CommitAndSendAcks())
            {
                return;
            }

            if (_deferred.Count > 0)
            {
                if (!Answer(_deferred.OldestData, _deferred.OldestLength, _deferred.OldestSource))
                {
                    return;
                }

                _deferred.RemoveOldest();
            }

            Interlocked.Exchange(ref _withdrawnOffers, _server.WithdrawnOffers);
            Report();
        }
    }

    // A datagram just read: a DISCOVER is kept for later, anything else is answered now (an ACK
    // waits for the commit, which comes once the socket is drained or MaxBurst ACKs wait).
    private bool Take(byte[] buffer, int received, SocketAddress source)
    {
        if (received <= DhcpMessage.MaximumLength && !_deferred.IsFull && DhcpMessage.PeekMessageType(buffer, received) == DhcpMessageType.Discover)
        {
            _deferred.Add(buffer, received, source);
            if (_deferred.Count > _deferredPeak)
            {
                Interlocked.Exchange(ref _deferredPeak, _deferred.Count);
            }

            return true;
        }

        if (!Answer(buffer, received, source))
        {
            return false;
        }

        return _waiting < MaxBurst || CommitAndSendAcks();
    }

    // Handles one request: a reply that promises nothing (an OFFER, a NAK) leaves at once; an ACK
    // (its handling saved a bound lease) waits for the commit. False once the socket is gone.
    private bool Answer(byte[] data, int length, SocketAddress source)
    {
        long boundBefore = _batchedLeases?.BoundSaves ?? 0;
        DhcpDatagram? reply = length > DhcpMessage.MaximumLength ? null : _server.Handle(data, 0, length, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _sinceTrim++;
        if (reply == null)
        {
            Interlocked.Increment(ref _dropped);
            Drops.Count(length > DhcpMessage.MaximumLength ? OversizeReason : _server.LastDropReason);
            return true;
        }

        SocketAddress destination = _destinations.For(source, reply.Destination, DhcpReplyDestinations.RelayAddress(data, length));
        if (_batchedLeases != null && _batchedLeases.BoundSaves != boundBefore)
        {
            _replies[_waiting] = reply.Data;
            _replyDestinations[_waiting] = destination;
            _waiting++;
            return true;
        }

        return Send(reply.Data, destination);
    }

    // One transaction for every change since the last commit, then the ACKs it holds leave. A
    // failed commit sends none of them (not persisted, so not sent: the clients retransmit).
    private bool CommitAndSendAcks()
    {
        if (_batchedLeases != null)
        {
            bool changed = _batchedLeases.PendingChanges > 0;
            try
            {
                _batchedLeases.CommitBatch();
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                Console.Error.WriteLine("dhcp: lease table write failed, " + _waiting + " ACKs not sent: " + e.Message);
                Interlocked.Add(ref _dropped, _waiting);
                Array.Clear(_replies, 0, _waiting);
                _waiting = 0;
                _batchedLeases.BeginBatch();
                return true;
            }

            _batchedLeases.BeginBatch();
            if (changed)
            {
                Interlocked.Increment(ref _commits);
            }
        }

        int waiting = _waiting;
        _waiting = 0;
        for (int i = 0; i < waiting; i++)
        {
            if (!Send(_replies[i], _replyDestinations[i]))
            {
                return false;
            }

            _replies[i] = Array.Empty<byte>();
        }

        return true;
    }

    // A flood grows the GC's budgets and heap, and an idle process never collects, so without this
    // the resident set stays at its peak. Once quiet after many requests: one compacting collection
    // that decommits what it frees (a few ms on this heap, at most once per busy spell).
    private void TrimIfQuietAfterLoad()
    {
        if (_sinceTrim < TrimAfterRequests)
        {
            return;
        }

        _sinceTrim = 0;
        _deferred.Shrink();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Increment(ref _trims);
    }

    private void Report()
    {
        Action<string>? logged = Logged;
        string? line = logged == null ? null : Drops.TakeReport(Environment.TickCount64, _server.WithdrawnOffers);
        if (line != null)
        {
            logged!(line);
        }
    }

    // False once the socket is gone (the host is stopping).
    private bool Send(byte[] data, SocketAddress destination)
    {
        try
        {
            _socket.SendTo(data, SocketFlags.None, destination);
            Interlocked.Increment(ref _answered);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _dropped);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        return true;
    }
}
