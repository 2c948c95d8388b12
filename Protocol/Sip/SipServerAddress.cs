namespace Protocol.Sip;

/// <summary>A registrar or proxy to send to: a host name or address and a port.</summary>
public sealed class SipServerAddress
{
    public SipServerAddress(string host, int port)
    {
        if (host == null || host.Length == 0 || port < 1 || port > 65535)
        {
            throw new System.ArgumentException("a SIP server needs a host and a port in 1..65535");
        }

        Host = host;
        Port = port;
    }

    public string Host { get; }

    public int Port { get; }

    public bool Is(string host, int port)
    {
        return port == Port && SipText.EqualsIgnoreCase(host, Host);
    }

    public override string ToString()
    {
        return Host + ":" + Port.ToString();
    }
}
