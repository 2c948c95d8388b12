using System;
using Hal;
using Hal.Host;

namespace PhoneFirmware.Host.Fleet;

/// <summary>A fleet phone's UDP socket: the host socket, registered with the phone's worker while open.</summary>
public sealed class WatchedDatagramSocket : IDatagramSocket, IDisposable
{
    private readonly UdpDatagramSocket _socket;
    private readonly FleetNetwork _network;
    private bool _closed;

    public WatchedDatagramSocket(UdpDatagramSocket socket, FleetNetwork network)
    {
        _socket = socket;
        _network = network;
        network.Worker.Watch(socket.PollHandle, network.Owner!);
    }

    public int LocalPort => _socket.LocalPort;

    public void Send(byte[] data, int offset, int count, uint address, int port)
    {
        _socket.Send(data, offset, count, address, port);
    }

    public int Receive(byte[] buffer, out uint address, out int port)
    {
        return _socket.Receive(buffer, out address, out port);
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _network.Worker.Unwatch(_socket.PollHandle);
        _network.Closed(this);
        _socket.Close();
    }

    public void Dispose()
    {
        Close();
    }
}
