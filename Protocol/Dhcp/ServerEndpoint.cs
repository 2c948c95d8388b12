namespace Protocol.Dhcp;

/// <summary>One server named in the phone configuration: an IPv4 address or an FQDN, an optional port and path.</summary>
public sealed class ServerEndpoint
{
    /// <summary>The host as written (address or FQDN).</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The IPv4 address, or 0 when <see cref="Host"/> is an FQDN to resolve.</summary>
    public uint Address { get; set; }

    /// <summary>The port, or 0 when none was given (the protocol's default applies).</summary>
    public int Port { get; set; }

    /// <summary>The path after the host (<c>FQDN/path</c>), or empty.</summary>
    public string Path { get; set; } = string.Empty;

    public override string ToString()
    {
        string text = Host;
        if (Port != 0)
        {
            text += ":" + Port.ToString();
        }

        if (Path.Length > 0)
        {
            text += "/" + Path;
        }

        return text;
    }
}
