namespace Protocol.Dns;

/// <summary>An encoded query and the DNS server it goes to (port <see cref="DnsResolver.ServerPort"/>).</summary>
public sealed class DnsDatagram
{
    public DnsDatagram(byte[] data, uint server)
    {
        Data = data;
        Server = server;
    }

    public byte[] Data { get; }

    public uint Server { get; }
}
