using System.Collections.Generic;
using Protocol.Common;
using Protocol.Sip;

namespace Tests.Simulation.Sip;

/// <summary>
/// The phone's portable <see cref="SipRegistration"/> on a simulated host over UDP: received
/// datagrams parsed and handed in, what it sends put on the network, its events kept in order,
/// and every state it was seen in after a step (for the invariants).
/// </summary>
public sealed class SimSipLine : ISimActor
{
    private readonly SimDatagramSocket _socket;
    private readonly byte[] _buffer = new byte[65536];

    public SimSipLine(SimHost host, SipRegistrationConfig config, IRandomSource random)
    {
        Host = host;
        _socket = host.Bind(config.LocalPort);
        Machine = new SipRegistration(config, random);
    }

    public SimHost Host { get; }

    public SipRegistration Machine { get; }

    public List<SipRegistrationEvent> Events { get; } = new();

    /// <summary>Datagrams that did not parse as SIP (dropped, as the phone does).</summary>
    public int Unparsable { get; private set; }

    public int Count(SipRegistrationEventKind kind)
    {
        int n = 0;
        foreach (SipRegistrationEvent e in Events)
        {
            n += e.Kind == kind ? 1 : 0;
        }

        return n;
    }

    public long Step(long now)
    {
        int count;
        while ((count = _socket.Receive(_buffer, out uint address, out int port)) >= 0)
        {
            try
            {
                Machine.OnMessage(SipMessageParser.Parse(_buffer, 0, count), Ipv4.Format(address), port, now);
            }
            catch (ProtocolParseException)
            {
                Unparsable++;
            }
        }

        SipOutgoing? outgoing;
        while ((outgoing = Machine.Poll(now)) != null)
        {
            Ipv4.TryParse(outgoing.Host, out uint to);
            _socket.Send(outgoing.Bytes, 0, outgoing.Bytes.Length, to, outgoing.Port);
        }

        SipRegistrationEvent? e;
        while ((e = Machine.PollEvent()) != null)
        {
            Events.Add(e);
        }

        return Machine.NextDeadline;
    }
}
