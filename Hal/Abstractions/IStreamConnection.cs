namespace Hal;

/// <summary>A TCP connection (or TLS over it) that never blocks the caller.</summary>
public interface IStreamConnection
{
    StreamState State { get; }

    /// <summary>Queues bytes for sending; the driver sends them in order.</summary>
    void Send(byte[] data, int offset, int count);

    /// <summary>Copies waiting bytes; 0 when nothing is waiting (check <see cref="State"/> for closure).</summary>
    int Receive(byte[] buffer, int offset, int count);

    void Close();
}
