using System.Collections;
using Hal;

namespace Tests.Portable.Support;

/// <summary>An <see cref="INetworkInterface"/> that hands out <see cref="ScriptedDatagramSocket"/>s and keeps each for the test.</summary>
public sealed class ScriptedNetwork : INetworkInterface
{
    private readonly ArrayList _sockets = new ArrayList();

    public byte[] MacAddress { get; } = new byte[] { 0, 8, 0x5d, 1, 2, 3 };

    public bool IsLinkUp => true;

    public int SocketCount => _sockets.Count;

    public ScriptedDatagramSocket Socket(int index)
    {
        return (ScriptedDatagramSocket)_sockets[index]!;
    }

    public IDatagramSocket OpenDatagram(int localPort, bool broadcast)
    {
        ScriptedDatagramSocket socket = new ScriptedDatagramSocket(localPort == 0 ? 40000 + _sockets.Count : localPort);
        _sockets.Add(socket);
        return socket;
    }

    public IStreamConnection Connect(uint address, int port)
    {
        throw new System.NotSupportedException("no streams on the scripted network");
    }

    public void ConfigureAddress(uint address, uint subnetMask, uint gateway, uint[] dnsServers)
    {
    }

    public bool UseVlan(int vlan)
    {
        return false;
    }
}
