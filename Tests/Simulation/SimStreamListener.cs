using System.Collections.Generic;

namespace Tests.Simulation;

/// <summary>A listening TCP port on a simulated host.</summary>
public sealed class SimStreamListener
{
    private readonly Queue<SimStreamConnection> _accepted = new();

    internal SimStreamListener(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>The next connection that has arrived, or null.</summary>
    public SimStreamConnection? Accept()
    {
        return _accepted.Count > 0 ? _accepted.Dequeue() : null;
    }

    internal void Enqueue(SimStreamConnection connection)
    {
        _accepted.Enqueue(connection);
    }
}
