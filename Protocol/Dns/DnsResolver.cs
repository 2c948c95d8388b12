using Protocol.Common;

namespace Protocol.Dns;

/// <summary>
/// One A lookup, sans-IO (RFC 1035 §7, the stub resolver of RFC 1123 §6.1.3): the query goes to
/// the first server and is sent again after each timeout, <see cref="AttemptsPerServer"/> times
/// in all, then the next server is asked with a fresh ID. A server that answers without an
/// address (or with an error other than "no such name") passes the name on to the next one at
/// once; "no such name" ends the lookup, since every server would say the same. Only an answer
/// from the server asked, from port 53, with the query's ID and question counts; anything else,
/// malformed or not, is dropped. The host sends what <see cref="Poll"/> returns and feeds back
/// what arrives; time is passed in, the next deadline comes out.
/// </summary>
public sealed class DnsResolver
{
    public const int ServerPort = 53;
    public const int DefaultAttemptsPerServer = 2;
    public const int DefaultTimeoutMilliseconds = 1000;
    private const int NoSuchName = 3;

    private readonly IRandomSource _random;
    private readonly DatagramQueue _outgoing = new DatagramQueue();
    private string _name = string.Empty;
    private string _question = string.Empty;
    private uint[] _servers = new uint[0];
    private int _serverIndex;
    private int _attempt;
    private ushort _id;
    private long _timer = Deadline.None;

    public DnsResolver(IRandomSource random)
        : this(random, DefaultAttemptsPerServer, DefaultTimeoutMilliseconds)
    {
    }

    public DnsResolver(IRandomSource random, int attemptsPerServer, int timeoutMilliseconds)
    {
        if (attemptsPerServer < 1 || timeoutMilliseconds < 1)
        {
            throw new System.ArgumentException("a resolver needs at least one attempt of at least 1 ms");
        }

        _random = random;
        AttemptsPerServer = attemptsPerServer;
        TimeoutMilliseconds = timeoutMilliseconds;
    }

    public int AttemptsPerServer { get; }

    public int TimeoutMilliseconds { get; }

    public DnsResolverState State { get; private set; } = DnsResolverState.Idle;

    /// <summary>The name being looked up, as given.</summary>
    public string Name => _name;

    /// <summary>Every A record of the answer, in order; empty unless <see cref="DnsResolverState.Resolved"/>.</summary>
    public uint[] Addresses { get; private set; } = new uint[0];

    /// <summary>The first address of the answer, or 0.</summary>
    public uint Address => Addresses.Length > 0 ? Addresses[0] : 0;

    /// <summary>The server that answered (or is being asked), or 0.</summary>
    public uint Server => _serverIndex < _servers.Length ? _servers[_serverIndex] : 0;

    /// <summary>Why the lookup failed ("no such name", "no answer from 2 servers", …); empty otherwise.</summary>
    public string FailureReason { get; private set; } = string.Empty;

    /// <summary>Queries sent so far in this lookup, retransmissions included.</summary>
    public int QueriesSent { get; private set; }

    /// <summary>When <see cref="Poll"/> next has work: long.MinValue while a datagram waits, None when done.</summary>
    public long NextDeadline => _outgoing.Count > 0 ? long.MinValue : _timer;

    /// <summary>Starts looking <paramref name="name"/> up at <paramref name="servers"/>, in order; a lookup under way is dropped.</summary>
    public void Start(string name, uint[] servers, long now)
    {
        _name = name == null ? string.Empty : name;
        _servers = servers == null ? new uint[0] : servers;
        _serverIndex = 0;
        _attempt = 0;
        QueriesSent = 0;
        Addresses = new uint[0];
        FailureReason = string.Empty;
        _outgoing.Clear();
        if (!DnsQuery.IsHostName(_name))
        {
            Fail("not a host name: " + _name, now);
            return;
        }

        if (_servers.Length == 0)
        {
            Fail("no DNS server", now);
            return;
        }

        _question = Lower(_name[_name.Length - 1] == '.' ? _name.Substring(0, _name.Length - 1) : _name);
        _id = NewId();
        Enter(DnsResolverState.Querying, now);
    }

    /// <summary>The next datagram to send, or null; runs the retransmit timer when it has expired.</summary>
    public DnsDatagram? Poll(long now)
    {
        if (State == DnsResolverState.Querying && _outgoing.Count == 0 && now >= _timer)
        {
            OnTimeout(now);
        }

        return (DnsDatagram?)_outgoing.Take();
    }

    /// <summary>Takes one datagram that arrived from <paramref name="source"/>:<paramref name="sourcePort"/>.</summary>
    public void OnReceive(byte[] data, int offset, int count, uint source, int sourcePort, long now)
    {
        if (State != DnsResolverState.Querying || source != Server || sourcePort != ServerPort)
        {
            return;
        }

        DnsResponse response;
        try
        {
            response = DnsResponse.Parse(data, offset, count);
        }
        catch (ProtocolParseException)
        {
            return; // not an answer we can read: the real one may still come
        }

        if (!response.IsResponse || response.Id != _id || response.QuestionName != _question)
        {
            return;
        }

        if (response.ResponseCode == NoSuchName)
        {
            Fail("no such name: " + _name + " (" + Ipv4.Format(Server) + ")", now);
            return;
        }

        if (response.ResponseCode != 0 || response.Addresses.Length == 0)
        {
            NextServer(now);
            return;
        }

        Addresses = response.Addresses;
        Enter(DnsResolverState.Resolved, now);
    }

    /// <summary>Abandons the lookup; answers that arrive later are ignored.</summary>
    public void Cancel(long now)
    {
        Enter(DnsResolverState.Idle, now);
    }

    private void OnTimeout(long now)
    {
        _attempt++;
        if (_attempt < AttemptsPerServer)
        {
            Enter(DnsResolverState.Querying, now); // the same query again: a late answer to either counts
            return;
        }

        NextServer(now);
    }

    private void NextServer(long now)
    {
        _serverIndex++;
        _attempt = 0;
        if (_serverIndex >= _servers.Length)
        {
            Fail("no address for " + _name + " from " + _servers.Length.ToString() + " DNS server(s)", now);
            return;
        }

        _id = NewId();
        Enter(DnsResolverState.Querying, now);
    }

    private void Fail(string reason, long now)
    {
        FailureReason = reason;
        Enter(DnsResolverState.Failed, now);
    }

    /// <summary>The one place the state changes. Entering Querying sends the query to the current server.</summary>
    private void Enter(DnsResolverState next, long now)
    {
        State = next;
        _timer = Deadline.None;
        switch (next)
        {
            case DnsResolverState.Querying:
                _outgoing.Add(new DnsDatagram(DnsQuery.Encode(_id, _name), Server));
                QueriesSent++;
                _timer = now + TimeoutMilliseconds;
                break;
            default:
                _outgoing.Clear();
                break;
        }
    }

    private ushort NewId()
    {
        return (ushort)(_random.NextUInt32() & 0xFFFF);
    }

    private static string Lower(string text)
    {
        char[] chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] >= 'A' && chars[i] <= 'Z')
            {
                chars[i] = (char)(chars[i] + 32);
            }
        }

        return new string(chars);
    }
}
