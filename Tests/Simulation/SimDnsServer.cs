using Protocol.Common;
using Protocol.Dns;
using Tests.Portable.Support;

namespace Tests.Simulation;

/// <summary>
/// A DNS server on its own simulated host, port 53: answers each A query from the network's name
/// table (<see cref="SimNetwork.AddName"/>), "no such name" for the rest. The phone finds it
/// through the lease's option 6, so FQDN servers in the phone configuration resolve as on a lab.
/// </summary>
public sealed class SimDnsServer : ISimActor
{
    private const int NoSuchName = 3;
    private readonly SimNetwork _network;
    private readonly SimDatagramSocket _socket;
    private readonly byte[] _buffer = new byte[1500];

    public SimDnsServer(SimRunner runner, string name, uint address)
    {
        _network = runner.Network;
        Host = runner.Network.AddHost(name, new byte[] { 0x02, 0, 0, 0, 0x35, (byte)address }, address);
        Host.ResetsAddress = false;
        _socket = Host.Bind(DnsResolver.ServerPort);
        runner.Add(this);
    }

    public SimHost Host { get; }

    /// <summary>Queries received (retransmissions and duplicates included).</summary>
    public int Queries { get; private set; }

    /// <summary>While true the server reads queries and answers none: a server that is down.</summary>
    public bool Silent { get; set; }

    public long Step(long now)
    {
        int length;
        while ((length = _socket.Receive(_buffer, out uint source, out int sourcePort)) >= 0)
        {
            DnsResponse query;
            try
            {
                query = DnsResponse.Parse(_buffer, 0, length); // a query has the same layout, with no answers
            }
            catch (ProtocolParseException)
            {
                continue;
            }

            Queries++;
            if (Silent || query.IsResponse || query.QuestionName.Length == 0)
            {
                continue;
            }

            uint address = _network.Resolve(query.QuestionName);
            byte[] reply = address == 0
                ? DnsAnswers.Answer(query.Id, query.QuestionName, NoSuchName, new uint[0])
                : DnsAnswers.Answer(query.Id, query.QuestionName, 0, new uint[] { address });
            _socket.Send(reply, 0, reply.Length, source, sourcePort);
        }

        return Deadline.None;
    }
}
