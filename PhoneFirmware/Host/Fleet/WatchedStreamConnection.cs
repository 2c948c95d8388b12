using System;
using System.Threading.Tasks;
using Hal;
using Hal.Host;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// A fleet phone's TCP connection: watched for readability while open, and the phone is woken
/// when the background connect ends (a connect in progress is not readable).
/// </summary>
public sealed class WatchedStreamConnection : IStreamConnection, IDisposable
{
    private readonly TcpStreamConnection _connection;
    private readonly FleetNetwork _network;
    private bool _closed;

    public WatchedStreamConnection(TcpStreamConnection connection, FleetNetwork network)
    {
        _connection = connection;
        _network = network;
        FleetWorker worker = network.Worker;
        FleetPhone phone = network.Owner!;
        worker.Watch(connection.PollHandle, phone);
        connection.Connecting.ContinueWith(_ => worker.Wake(phone), TaskScheduler.Default);
    }

    public StreamState State => _connection.State;

    public void Send(byte[] data, int offset, int count)
    {
        _connection.Send(data, offset, count);
    }

    public int Receive(byte[] buffer, int offset, int count)
    {
        return _connection.Receive(buffer, offset, count);
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _network.Worker.Unwatch(_connection.PollHandle);
        _network.Closed(this);
        _connection.Close();
    }

    public void Dispose()
    {
        Close();
    }
}
