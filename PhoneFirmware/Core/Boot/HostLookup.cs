using Hal;
using Protocol.Common;
using Protocol.Dns;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// Looks a server name up at the DNS servers the lease named (option 6) without blocking: the
/// portable <see cref="DnsResolver"/> on a UDP socket of its own, opened for the lookup and closed
/// when it ends. A dotted-quad name is its own address and resolves at once, with no query.
/// The caller calls <see cref="Step"/> until the state is Resolved or Failed, at the latest by the
/// deadline it returns.
/// </summary>
public sealed class HostLookup
{
    /// <summary>Bytes received per DNS reply at most (an Ethernet frame's payload).</summary>
    public const int ReceiveBufferSize = 1500;

    private readonly INetworkInterface _network;
    private readonly DnsResolver _resolver;
    private static readonly byte[] NoBuffer = new byte[0];
    private byte[] _receiveBuffer = NoBuffer; // only while Resolving, with the socket: a phone holds two lookups
    private IDatagramSocket? _socket;

    public HostLookup(INetworkInterface network, IRandomSource random)
    {
        _network = network;
        _resolver = new DnsResolver(random);
    }

    public HostLookupState State { get; private set; } = HostLookupState.Idle;

    /// <summary>The name of the current or last lookup.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>The address found; 0 unless <see cref="HostLookupState.Resolved"/>.</summary>
    public uint Address { get; private set; }

    /// <summary>Why the lookup failed; empty otherwise.</summary>
    public string FailureReason { get; private set; } = string.Empty;

    /// <summary>Starts looking <paramref name="name"/> up; a lookup under way is dropped.</summary>
    public void Start(string name, uint[] dnsServers, long now)
    {
        Name = name == null ? string.Empty : name;
        Address = 0;
        FailureReason = string.Empty;
        if (Ipv4.TryParse(Name, out uint literal))
        {
            Address = literal;
            Enter(HostLookupState.Resolved, now);
            return;
        }

        Enter(HostLookupState.Resolving, now);
        _resolver.Start(Name, dnsServers, now);
        Step(now);
    }

    /// <summary>Moves datagrams between socket and resolver; returns when it next needs a step (None once done).</summary>
    public long Step(long now)
    {
        if (State != HostLookupState.Resolving || _socket == null)
        {
            return Deadline.None;
        }

        while (_resolver.State == DnsResolverState.Querying)
        {
            int length = _socket.Receive(_receiveBuffer, out uint address, out int port);
            if (length < 0)
            {
                break;
            }

            _resolver.OnReceive(_receiveBuffer, 0, length, address, port, now);
        }

        while (true)
        {
            DnsDatagram? datagram = _resolver.Poll(now);
            if (datagram == null)
            {
                break;
            }

            _socket.Send(datagram.Data, 0, datagram.Data.Length, datagram.Server, DnsResolver.ServerPort);
        }

        if (_resolver.State == DnsResolverState.Resolved)
        {
            Address = _resolver.Address;
            Enter(HostLookupState.Resolved, now);
        }
        else if (_resolver.State == DnsResolverState.Failed)
        {
            FailureReason = _resolver.FailureReason;
            Enter(HostLookupState.Failed, now);
        }

        return State == HostLookupState.Resolving ? _resolver.NextDeadline : Deadline.None;
    }

    /// <summary>Abandons the lookup and frees its socket.</summary>
    public void Cancel()
    {
        _resolver.Cancel(0);
        Enter(HostLookupState.Idle, 0);
    }

    /// <summary>The one place the state changes: only Resolving holds a socket.</summary>
    private void Enter(HostLookupState next, long now)
    {
        State = next;
        if (next == HostLookupState.Resolving)
        {
            if (_socket == null)
            {
                _socket = _network.OpenDatagram(0, false);
                _receiveBuffer = new byte[ReceiveBufferSize];
            }

            return;
        }

        if (_socket != null)
        {
            _socket.Close();
            _socket = null;
        }

        _receiveBuffer = NoBuffer;
    }
}
