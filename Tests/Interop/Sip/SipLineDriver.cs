using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Hal;
using Hal.Host;
using Protocol.Common;
using Protocol.Sip;

namespace Tests.Interop.Sip;

/// <summary>
/// Drives the portable <see cref="SipRegistration"/> over real sockets on loopback until the
/// phone has its SIP mode: UDP from one bound socket, TCP from a fixed local port (one
/// connection per target, framed by <see cref="SipStreamFramer"/>), or TLS through the host's own
/// <see cref="TlsStreamConnection"/> and <see cref="TlsClientOptions"/> (CA validation as the phone
/// does it; an ephemeral local port). Time is a stopwatch; everything else is the machine's.
/// </summary>
public sealed class SipLineDriver : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Socket? _udp;
    private readonly int _localPort;
    private readonly List<SipRegistrationEvent> _events = new();
    private Socket? _tcp;
    private string _tcpTarget = string.Empty;
    private SipStreamFramer _framer = new();
    private readonly TlsClientOptions? _tlsOptions;
    private TlsStreamConnection? _tls;
    private readonly List<byte[]> _tlsPending = new();

    /// <param name="tls">How a TLS line trusts the registrar (required for <see cref="SipTransport.Tls"/>).</param>
    public SipLineDriver(SipTransport transport, SipServerAddress[] servers, string user, string password, int expires, Action<SipRegistrationConfig>? adjust = null, TlsClientOptions? tls = null)
    {
        _tlsOptions = tls;
        if (transport == SipTransport.Udp)
        {
            _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _localPort = ((IPEndPoint)_udp.LocalEndPoint!).Port;
        }
        else
        {
            _localPort = Tests.Support.FreePorts.Tcp();
        }

        Config = new SipRegistrationConfig(servers, KamailioProcess.Realm, user, "127.0.0.1", _localPort)
        {
            Password = password,
            ExpiresSeconds = expires,
            Transport = transport,
            DisplayName = "Desk " + user,
            BackoffBaseMs = 2000,
            BackoffMaxMs = 8000,
        };
        adjust?.Invoke(Config);
        Machine = new SipRegistration(Config, new Random42());
    }

    public SipRegistrationConfig Config { get; }

    public SipRegistration Machine { get; }

    public int LocalPort => _localPort;

    public long Now => _clock.ElapsedMilliseconds;

    /// <summary>Every event so far, in order; a test waits from the index it noted before acting.</summary>
    public IReadOnlyList<SipRegistrationEvent> Events => _events;

    public string Story => string.Join("\n", _events) + "\n" + string.Join("\n", Notes);

    /// <summary>What the driver saw that is not the machine's: socket errors, dropped connections.</summary>
    public List<string> Notes { get; } = new();

    /// <summary>Runs the machine until an event of <paramref name="kind"/> at or after <paramref name="fromIndex"/>; fails on timeout.</summary>
    public SipRegistrationEvent WaitFor(SipRegistrationEventKind kind, int fromIndex, TimeSpan timeout)
    {
        SipRegistrationEvent? found = null;
        bool done = RunUntil(
            () =>
            {
                for (int i = fromIndex; i < _events.Count; i++)
                {
                    if (_events[i].Kind == kind)
                    {
                        found = _events[i];
                        return true;
                    }
                }

                return false;
            },
            timeout);
        Assert.IsTrue(done, "no " + kind + " within " + timeout + "; events:\n" + Story);
        return found!;
    }

    public bool RunUntil(Func<bool> done, TimeSpan timeout)
    {
        long until = Now + (long)timeout.TotalMilliseconds;
        while (true)
        {
            SipOutgoing? outgoing;
            while ((outgoing = Machine.Poll(Now)) != null)
            {
                Send(outgoing);
            }

            SipRegistrationEvent? e;
            while ((e = Machine.PollEvent()) != null)
            {
                _events.Add(e);
            }

            if (done())
            {
                return true;
            }

            if (Now >= until)
            {
                return false;
            }

            long wait = Math.Clamp(Machine.NextDeadline - Now, 0, 50);
            Receive((int)wait);
        }
    }

    public void Dispose()
    {
        _udp?.Dispose();
        _tcp?.Dispose();
        _tls?.Close();
    }

    private void Send(SipOutgoing outgoing)
    {
        IPEndPoint to = new(IPAddress.Parse(outgoing.Host), outgoing.Port);
        if (_udp != null)
        {
            _udp.SendTo(outgoing.Bytes, to);
            return;
        }

        if (Config.Transport == SipTransport.Tls)
        {
            SendTls(outgoing.Bytes, to);
            return;
        }

        try
        {
            if (_tcp == null || _tcpTarget != to.ToString())
            {
                _tcp?.Dispose();
                _tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                _tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                _tcp.Bind(new IPEndPoint(IPAddress.Loopback, _localPort));
                _tcp.Connect(to);
                _tcpTarget = to.ToString();
                _framer = new SipStreamFramer();
            }

            _tcp.Send(outgoing.Bytes);
        }
        catch (SocketException e)
        {
            Notes.Add("send to " + to + ": " + e.Message);
            DropConnection();
        }
    }

    // Bytes wait until the handshake is done: TlsStreamConnection drops a send while Connecting.
    private void SendTls(byte[] bytes, IPEndPoint to)
    {
        if (_tls == null || _tcpTarget != to.ToString())
        {
            _tls?.Close();
            _tlsPending.Clear();
            _tls = new TlsStreamConnection(to.Address, to.Port, _tlsOptions ?? throw new InvalidOperationException("a TLS line needs TlsClientOptions"), reason => Notes.Add(reason));
            _tcpTarget = to.ToString();
            _framer = new SipStreamFramer();
        }

        _tlsPending.Add(bytes);
        FlushTls();
    }

    private void FlushTls()
    {
        if (_tls == null || _tls.State != StreamState.Connected)
        {
            return;
        }

        foreach (byte[] bytes in _tlsPending)
        {
            _tls.Send(bytes, 0, bytes.Length);
        }

        _tlsPending.Clear();
    }

    // TlsStreamConnection never blocks: poll it in short steps until something arrives or the wait ends.
    private void ReceiveTls(int waitMs)
    {
        long until = Now + waitMs;
        byte[] buffer = new byte[16384];
        while (true)
        {
            StreamState state = _tls!.State;
            if (state == StreamState.Failed || state == StreamState.Closed)
            {
                Notes.Add("TLS connection to " + _tcpTarget + " " + state);
                _tls.Close();
                _tls = null;
                _tlsPending.Clear();
                _tcpTarget = string.Empty;
                Machine.OnTransportError(Now);
                return;
            }

            FlushTls();
            int received = _tls.Receive(buffer, 0, buffer.Length);
            if (received > 0)
            {
                string[] peer = _tcpTarget.Split(':');
                try
                {
                    _framer.Append(buffer, 0, received);
                    SipMessage? message;
                    while ((message = _framer.Take()) != null)
                    {
                        Machine.OnMessage(message, peer[0], int.Parse(peer[1], System.Globalization.CultureInfo.InvariantCulture), Now);
                    }
                }
                catch (ProtocolParseException)
                {
                    _tls.Close();
                    _tls = null;
                    _tcpTarget = string.Empty;
                    Machine.OnTransportError(Now);
                }

                return;
            }

            if (Now >= until)
            {
                return;
            }

            Thread.Sleep(2);
        }
    }

    private void Receive(int waitMs)
    {
        if (Config.Transport == SipTransport.Tls)
        {
            if (_tls == null)
            {
                Thread.Sleep(waitMs);
            }
            else
            {
                ReceiveTls(waitMs);
            }

            return;
        }

        Socket? socket = _udp ?? _tcp;
        if (socket == null)
        {
            Thread.Sleep(waitMs);
            return;
        }

        if (!socket.Poll(waitMs * 1000, SelectMode.SelectRead))
        {
            return;
        }

        byte[] buffer = new byte[65536];
        if (_udp != null)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int count = _udp.ReceiveFrom(buffer, ref from);
            IPEndPoint source = (IPEndPoint)from;
            try
            {
                Machine.OnMessage(SipMessageParser.Parse(buffer, 0, count), source.Address.ToString(), source.Port, Now);
            }
            catch (ProtocolParseException)
            {
                // A datagram that is not SIP is dropped, as the phone would.
            }

            return;
        }

        int received;
        try
        {
            received = _tcp!.Receive(buffer);
        }
        catch (SocketException)
        {
            received = 0;
        }

        if (received == 0)
        {
            Notes.Add("connection to " + _tcpTarget + " closed");
            DropConnection();
            return;
        }

        IPEndPoint peer = (IPEndPoint)_tcp!.RemoteEndPoint!;
        try
        {
            _framer.Append(buffer, 0, received);
            SipMessage? message;
            while ((message = _framer.Take()) != null)
            {
                Machine.OnMessage(message, peer.Address.ToString(), peer.Port, Now);
            }
        }
        catch (ProtocolParseException)
        {
            DropConnection();
        }
    }

    private void DropConnection()
    {
        _tcp?.Dispose();
        _tcp = null;
        _tcpTarget = string.Empty;
        Machine.OnTransportError(Now);
    }

    /// <summary>A fixed-seed random source: the interop runs are repeatable in what they send.</summary>
    private sealed class Random42 : IRandomSource
    {
        private readonly Random _random = new(42);

        public uint NextUInt32()
        {
            return (uint)_random.NextInt64(0, 1L << 32);
        }

        public int Next(int maxExclusive)
        {
            return _random.Next(maxExclusive);
        }
    }
}
