namespace Protocol.Dhcp;

/// <summary>
/// What the phone learned from the vendor string (<c>id:ipphone.mitel.com;tag=value…</c>) or the
/// legacy options: where to fetch software, which call servers to try, and the network QoS.
/// </summary>
public sealed class IpPhoneConfig
{
    public const int Absent = -1;

    /// <summary>1 to 4 call servers, tried in order (<c>call_srv</c>).</summary>
    public ServerEndpoint[] CallServers { get; set; } = new ServerEndpoint[0];

    /// <summary>TFTP servers for the software loads (<c>sw_tftp</c>).</summary>
    public ServerEndpoint[] TftpServers { get; set; } = new ServerEndpoint[0];

    /// <summary>The <c>ipa_srv</c> server, or null.</summary>
    public ServerEndpoint? IpaServer { get; set; }

    /// <summary>The <c>app_proxy</c> FQDN:port, or null.</summary>
    public string? AppProxy { get; set; }

    public int Vlan { get; set; } = Absent;

    /// <summary>802.1p priority (<c>l2p</c>).</summary>
    public int Priority { get; set; } = Absent;

    public int Dscp { get; set; } = Absent;

    /// <summary>The DHCP option it came from: 125, 43, or 128 for the legacy options.</summary>
    public int SourceOption { get; set; }

    /// <summary>The sub-option that carried the string: 0 (string directly), 1 or 130.</summary>
    public int SubOption { get; set; }
}
