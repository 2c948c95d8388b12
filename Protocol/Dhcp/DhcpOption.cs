namespace Protocol.Dhcp;

/// <summary>One option after RFC 3396 concatenation: its code and its whole value.</summary>
public sealed class DhcpOption
{
    public DhcpOption(byte code, byte[] data)
    {
        Code = code;
        Data = data;
    }

    public byte Code { get; }

    public byte[] Data { get; }
}
