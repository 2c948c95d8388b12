using Hal;
using PhoneFirmware.Core.Boot;
using Protocol.Common;
using Protocol.Dhcp;

namespace PhoneFirmware.Core.Registration;

/// <summary>
/// Opens <see cref="BenchRegistrationClient"/>'s TCP link to a call server: at once for an
/// address; for an FQDN after a lookup (without blocking, <see cref="HostLookup"/>) at the
/// lease's DNS servers, at every connection. The wait's deadline is the machine's.
/// </summary>
public sealed class CallServerDialer
{
    private readonly INetworkInterface _network;
    private readonly PhoneSettings _settings;
    private readonly HostLookup _lookup;
    private readonly RegistrationEventQueue _events;
    private uint[] _dnsServers = new uint[0];

    public CallServerDialer(INetworkInterface network, PhoneSettings settings, IRandomSource random, RegistrationEventQueue events)
    {
        _network = network;
        _settings = settings;
        _lookup = new HostLookup(network, random);
        _events = events;
    }

    /// <summary>Why the last <see cref="Dial"/> or <see cref="Step"/> gave no link for good ("cannot-resolve host: why"); empty while a lookup goes on.</summary>
    public string FailureReason { get; private set; } = string.Empty;

    public void UseDnsServers(uint[] dnsServers)
    {
        _dnsServers = dnsServers;
    }

    /// <summary>The link to the server, or null while its name is looked up (then <see cref="Step"/>) or when the lookup failed.</summary>
    public CallServerConnection? Dial(ServerEndpoint server, long now)
    {
        FailureReason = string.Empty;
        if (server.Address != 0)
        {
            return Connect(server.Host, server.Address, server.Port);
        }

        _lookup.Start(server.Host, _dnsServers, now);
        return Step(server, now);
    }

    /// <summary>The link once the server's name resolved; null while it resolves or when it failed (<see cref="FailureReason"/>).</summary>
    public CallServerConnection? Step(ServerEndpoint server, long now)
    {
        FailureReason = string.Empty;
        if (_lookup.State == HostLookupState.Resolving)
        {
            _lookup.Step(now);
        }

        if (_lookup.State == HostLookupState.Resolved)
        {
            uint address = _lookup.Address;
            RegistrationEvent resolved = new RegistrationEvent(RegistrationEventKind.Resolved);
            resolved.Target = _lookup.Name;
            resolved.Text = Ipv4.Format(address);
            _events.Add(resolved);
            _lookup.Cancel();
            return Connect(server.Host, address, server.Port);
        }

        if (_lookup.State == HostLookupState.Failed)
        {
            FailureReason = "cannot-resolve " + server.Host + ": " + _lookup.FailureReason;
            _lookup.Cancel();
        }

        return null;
    }

    /// <summary>The machine's deadline, or the lookup's next one if earlier.</summary>
    public long NextDeadline(long stateDeadline, long now)
    {
        return _lookup.State == HostLookupState.Resolving ? Deadline.Earliest(stateDeadline, _lookup.Step(now)) : stateDeadline;
    }

    public void Cancel()
    {
        _lookup.Cancel();
    }

    private CallServerConnection Connect(string host, uint address, int port)
    {
        int usedPort = port != 0 ? port : _settings.CallServerDefaultPort;
        return new CallServerConnection(_network.Connect(address, usedPort), host, usedPort);
    }
}
