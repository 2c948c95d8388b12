using Hal;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Registration;

namespace PhoneFirmware.Core.Registration;

/// <summary>
/// The in-service part of <see cref="BenchRegistrationClient"/>: keepalives out, silence detected,
/// and at a secondary a periodic TCP probe of the primary. It holds no state of the client's
/// machine: it reports a <see cref="InServiceVerdict"/> and the client changes state.
/// </summary>
public sealed class InServiceMonitor
{
    private readonly INetworkInterface _network;
    private readonly PhoneSettings _settings;
    private IStreamConnection? _returnProbe;
    private long _lastHeard;
    private long _nextKeepalive = Deadline.None;
    private long _nextReturnCheck = Deadline.None;
    private uint _keepaliveSequence;

    public InServiceMonitor(INetworkInterface network, PhoneSettings settings)
    {
        _network = network;
        _settings = settings;
    }

    /// <summary>A frame arrived: the element is alive.</summary>
    public void Heard(long now)
    {
        _lastHeard = now;
    }

    /// <summary>Sends the next keepalive (the first one asks for the communication the set waits for).</summary>
    public void SendKeepalive(CallServerConnection connection)
    {
        _keepaliveSequence++;
        connection.Send(RegistrationMessage.Keepalive(_keepaliveSequence));
    }

    /// <summary>The set went into service: the keepalive and return-check clocks start now.</summary>
    public void Begin(long now)
    {
        _nextKeepalive = now + _settings.KeepaliveIntervalMilliseconds;
        _nextReturnCheck = now + _settings.ReturnCheckMilliseconds;
    }

    /// <summary>
    /// One in-service step. <paramref name="primary"/> is the primary to probe, or null when the set
    /// is at its primary or may not return.
    /// </summary>
    public InServiceVerdict Step(CallServerConnection connection, ServerEndpoint? primary, long now)
    {
        if (now - _lastHeard > SilenceLimit())
        {
            return InServiceVerdict.Silent;
        }

        if (now >= _nextKeepalive)
        {
            SendKeepalive(connection);
            _nextKeepalive = now + _settings.KeepaliveIntervalMilliseconds;
        }

        if (primary == null)
        {
            return InServiceVerdict.InService;
        }

        if (_returnProbe == null && now >= _nextReturnCheck)
        {
            _returnProbe = Probe(primary);
            _nextReturnCheck = now + _settings.ReturnCheckMilliseconds;
        }

        if (_returnProbe != null && _returnProbe.State == StreamState.Connected)
        {
            return InServiceVerdict.PrimaryAnswers;
        }

        if (_returnProbe != null && (_returnProbe.State == StreamState.Failed || _returnProbe.State == StreamState.Closed))
        {
            DropProbe();
        }

        return InServiceVerdict.InService;
    }

    /// <summary>The next time <see cref="Step"/> has something to do; the same <paramref name="primary"/> as there.</summary>
    public long NextDeadline(ServerEndpoint? primary, long now)
    {
        long next = Deadline.Earliest(_nextKeepalive, _lastHeard + SilenceLimit() + 1);
        if (primary != null)
        {
            // A probe in flight is looked at often; otherwise at the next return check.
            next = Deadline.Earliest(next, _returnProbe != null ? now + 20 : _nextReturnCheck);
        }

        return next;
    }

    public void DropProbe()
    {
        if (_returnProbe != null)
        {
            _returnProbe.Close();
            _returnProbe = null;
        }
    }

    private long SilenceLimit()
    {
        return (long)_settings.KeepaliveIntervalMilliseconds * _settings.KeepaliveMisses;
    }

    // A TCP connect to the primary; a primary named by FQDN is not probed (docs/registration-protocol.md).
    private IStreamConnection? Probe(ServerEndpoint server)
    {
        return server.Address == 0 ? null : _network.Connect(server.Address, server.Port != 0 ? server.Port : _settings.CallServerDefaultPort);
    }
}
