namespace Protocol.Sip;

/// <summary>Bytes a SIP machine wants sent: to this host and port, over the line's transport.</summary>
public sealed class SipOutgoing
{
    public SipOutgoing(string host, int port, byte[] bytes)
    {
        Host = host;
        Port = port;
        Bytes = bytes;
    }

    public string Host { get; }

    public int Port { get; }

    public byte[] Bytes { get; }
}
