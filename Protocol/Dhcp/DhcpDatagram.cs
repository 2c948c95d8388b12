namespace Protocol.Dhcp;

/// <summary>An encoded message and where it goes (an address, or <see cref="Protocol.Common.Ipv4.Broadcast"/>).</summary>
public sealed class DhcpDatagram
{
    public DhcpDatagram(byte[] data, uint destination)
    {
        Data = data;
        Destination = destination;
    }

    public byte[] Data { get; }

    public uint Destination { get; }
}
