namespace Hal;

/// <summary>
/// A byte-serial line (a UART on the board, a tty or pseudo-terminal on the host), polled from
/// the step loop like the sockets: reading never waits for the peer.
/// </summary>
public interface ISerialPort
{
    /// <summary>Copies bytes that have arrived; 0 when none are waiting. Never blocks.</summary>
    int Read(byte[] buffer, int offset, int count);

    /// <summary>
    /// Hands bytes to the line; returns how many it took (fewer when its transmit buffer is full).
    /// Never waits for the peer; a UART driver may wait while its own buffer drains.
    /// </summary>
    int Write(byte[] data, int offset, int count);

    void Close();
}
