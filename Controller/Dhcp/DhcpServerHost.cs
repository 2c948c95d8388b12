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
/// One thread receives: it takes every datagram already queued (up to <see cref="MaxBurst"/>) and
/// answers each. An OFFER (or NAK) promises nothing and leaves at once; an ACK promises a lease, so
/// the burst's lease changes are committed in one transaction and only then do its ACKs leave (a
/// lease is persisted before its ACK). Steady state allocates only inside the server.
/// </summary>
public sealed class DhcpServerHost : IAsyncDisposable
{
    /// <summary>Requests answered per lease-table commit at most.</summary>
    public const int MaxBurst = 64;

    private static readonly string OversizeReason = "oversize: more than " + DhcpMessage.MaximumLength + " bytes";
    private readonly DhcpServer _server;
    private readonly SqliteLeaseStore? _batchedLeases;
    private readonly Socket _socket;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DhcpReplyDestinations _destinations = new();
    private Thread? _loop;
    private volatile bool _stopping;
    private long _dropped;
    private long _answered;
    private long _commits;
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
        byte[][] replies = new byte[MaxBurst][];
        SocketAddress[] destinations = new SocketAddress[MaxBurst];
        while (!_stopping)
        {
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

            // Answer everything already queued: a reply that promises nothing (an OFFER, a NAK)
            // leaves at once; an ACK waits for the one commit at the end of the burst.
            _batchedLeases?.BeginBatch();
            int waiting = 0;
            int handled = 0;
            while (true)
            {
                long boundBefore = _batchedLeases?.BoundSaves ?? 0;
                DhcpDatagram? reply = received > DhcpMessage.MaximumLength ? null : _server.Handle(buffer, 0, received, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                handled++;
                _sinceTrim++;
                if (reply == null)
                {
                    Interlocked.Increment(ref _dropped);
                    Drops.Count(received > DhcpMessage.MaximumLength ? OversizeReason : _server.LastDropReason);
                }
                else
                {
                    SocketAddress destination = _destinations.For(source, reply.Destination, DhcpReplyDestinations.RelayAddress(buffer, received));
                    if (_batchedLeases != null && _batchedLeases.BoundSaves != boundBefore)
                    {
                        replies[waiting] = reply.Data;
                        destinations[waiting] = destination;
                        waiting++;
                    }
                    else if (!Send(reply.Data, destination))
                    {
                        return;
                    }
                }

                if (handled == MaxBurst || _socket.Available == 0)
                {
                    break;
                }

                try
                {
                    received = _socket.ReceiveFrom(buffer, SocketFlags.None, source);
                }
                catch (SocketException)
                {
                    break;
                }
            }

            Interlocked.Exchange(ref _withdrawnOffers, _server.WithdrawnOffers);
            if (_batchedLeases != null)
            {
                bool changed = _batchedLeases.PendingChanges > 0;
                try
                {
                    _batchedLeases.CommitBatch();
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    // Not persisted, so not sent: the clients retransmit.
                    Console.Error.WriteLine("dhcp: lease table write failed, " + waiting + " ACKs not sent: " + e.Message);
                    Interlocked.Add(ref _dropped, waiting);
                    Array.Clear(replies, 0, waiting);
                    continue;
                }

                if (changed)
                {
                    Interlocked.Increment(ref _commits);
                }
            }

            for (int i = 0; i < waiting; i++)
            {
                if (!Send(replies[i], destinations[i]))
                {
                    return;
                }

                replies[i] = Array.Empty<byte>();
            }

            Report();
        }
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
