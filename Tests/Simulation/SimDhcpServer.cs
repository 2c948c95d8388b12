using Protocol.Dhcp;

namespace Tests.Simulation;

/// <summary>A plain DHCP server on its own simulated host (no TFTP, no registration): a lab's data-VLAN server.</summary>
public sealed class SimDhcpServer : ISimActor
{
    private readonly DhcpServer _server;
    private readonly SimDatagramSocket _socket;
    private readonly byte[] _buffer = new byte[1500];

    public SimDhcpServer(SimRunner runner, string name, DhcpServerConfig config)
    {
        Host = runner.Network.AddHost(name, new byte[] { 0x02, 0, 0, 0, 1, (byte)config.ServerAddress }, config.ServerAddress);
        Host.ResetsAddress = false;
        _server = new DhcpServer(config, Leases);
        _socket = Host.Bind(SimController.DhcpPort);
        runner.Add(this);
    }

    public SimHost Host { get; }

    public InMemoryDhcpLeaseStore Leases { get; } = new();

    public long Step(long now)
    {
        int length;
        while ((length = _socket.Receive(_buffer, out uint _, out int _)) >= 0)
        {
            DhcpDatagram? reply = _server.Handle(_buffer, 0, length, now);
            if (reply != null)
            {
                _socket.Send(reply.Data, 0, reply.Data.Length, reply.Destination, 68);
            }
        }

        return Protocol.Common.Deadline.None;
    }
}
