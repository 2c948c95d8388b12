namespace Hal;

/// <summary>A UDP socket. Addresses are IPv4 as uint in host order (see Protocol.Common.Ipv4).</summary>
public interface IDatagramSocket
{
    int LocalPort { get; }

    void Send(byte[] data, int offset, int count, uint address, int port);

    /// <summary>Copies one waiting datagram into <paramref name="buffer"/>; -1 when none is waiting. Never blocks.</summary>
    int Receive(byte[] buffer, out uint address, out int port);

    void Close();
}
