namespace Protocol.Tftp;

/// <summary>An encoded packet to send: <see cref="Length"/> bytes of <see cref="Data"/>, to the peer's port.</summary>
public sealed class TftpDatagram
{
    public TftpDatagram(byte[] data, int length, int destinationPort)
    {
        Data = data;
        Length = length;
        DestinationPort = destinationPort;
    }

    public byte[] Data { get; }

    public int Length { get; private set; }

    /// <summary>The peer's port, or 0 for "the server's well-known port" (the first request).</summary>
    public int DestinationPort { get; }

    /// <summary>For a sender that reuses one datagram for every block it sends.</summary>
    internal void SetLength(int length)
    {
        Length = length;
    }
}
