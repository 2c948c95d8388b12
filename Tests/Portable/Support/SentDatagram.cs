namespace Tests.Portable.Support;

/// <summary>One datagram a <see cref="ScriptedDatagramSocket"/> sent or is to deliver.</summary>
public sealed class SentDatagram
{
    public SentDatagram(byte[] data, uint address, int port)
    {
        Data = data;
        Address = address;
        Port = port;
    }

    public byte[] Data { get; }

    public uint Address { get; }

    public int Port { get; }
}
