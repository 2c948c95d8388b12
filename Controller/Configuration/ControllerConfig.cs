using System.Collections.Generic;

namespace Controller.Configuration;

/// <summary>
/// `controller serve --config FILE`: one cluster element. The forms listed here seed a new
/// database; once it exists the database is the truth and the admin commands change it.
/// Relative paths are relative to the configuration file. See docs/controller-config.md.
/// </summary>
public sealed class ControllerConfig
{
    public ElementConfig Element { get; set; } = new();

    /// <summary>The address the servers bind to.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The address phones reach this element at (Option 125 call_srv and sw_tftp, redirects).</summary>
    public string? AdvertisedAddress { get; set; }

    public PortsConfig Ports { get; set; } = new();

    public string Database { get; set; } = "element.db";

    public DhcpConfig Dhcp { get; set; } = new();

    public TftpConfig Tftp { get; set; } = new();

    public SystemOptionsConfig SystemOptions { get; set; } = new();

    public List<DirectoryEntryConfig> TelephoneDirectory { get; set; } = new();

    public List<ClusterElementConfig> ClusterElements { get; set; } = new();

    public List<RemoteDirectoryNumberConfig> RemoteDirectoryNumbers { get; set; } = new();

    public RegistrationConfig Registration { get; set; } = new();

    public AdminConfig Admin { get; set; } = new();

    /// <summary>When present, the registration port speaks TLS (phones and the other elements alike).</summary>
    public TlsConfig? Tls { get; set; }

    /// <summary>Multiline IP Sets programmed by reservation (MAC → DN), e.g. IP consoles without PIN memory.</summary>
    public List<SetReservationConfig> MultilineIpSets { get; set; } = new();
}

/// <summary>
/// TLS on the registration listener: the element's certificate as PEM (certificate + key file)
/// or PKCS#12 (one file, optional password), and the CA it trusts for the other elements'
/// certificates when it sends them RdnUpdate frames.
/// </summary>
public sealed class TlsConfig
{
    /// <summary>A PEM certificate (with <see cref="Key"/>) or a .pfx/.p12 file.</summary>
    public string Certificate { get; set; } = string.Empty;

    /// <summary>The PEM private key of a PEM certificate; empty for PKCS#12.</summary>
    public string? Key { get; set; }

    /// <summary>The PKCS#12 file's password, if any.</summary>
    public string? Password { get; set; }

    /// <summary>The CA (PEM or DER) the other elements' certificates chain to; empty = the system's roots.</summary>
    public string? PeerCa { get; set; }
}

/// <summary>The admin REST API and web pages: loopback unless <see cref="BindAddress"/> says otherwise; its URL and token go to DATABASE.admin.json (mode 0600).</summary>
public sealed class AdminConfig
{
    public bool Enabled { get; set; } = true;

    /// <summary>The address the admin API and web pages listen on; anything but loopback is logged as a warning.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port; `controller admin` finds it in the endpoint file.</summary>
    public int Port { get; set; }
}

public sealed class RegistrationConfig
{
    public int WrongPinLimit { get; set; } = 3;

    public int LockoutSeconds { get; set; } = 60;

    /// <summary>Set types with no PIN memory (registered by reservation only): the 5540 IP console and the 5485 IP paging unit.</summary>
    public List<int> NoPinMemorySetTypes { get; set; } = new() { 5540, 5485 };

    public bool AllowReturnToPrimary { get; set; } = true;

    /// <summary>Automatic DN Selection range "FIRST-LAST", or empty for off.</summary>
    public string AutomaticDnRange { get; set; } = string.Empty;

    /// <summary>A new link that has not sent one complete frame within this is closed.</summary>
    public int FirstFrameSeconds { get; set; } = 10;

    /// <summary>A link with no complete frame for this long is closed (phones send a Keepalive every 10 s).</summary>
    public int IdleSeconds { get; set; } = 60;

    /// <summary>Links one source address may hold at once (a NAT or a bench of emulated phones shares one).</summary>
    public int MaxConnectionsPerSource { get; set; } = 16384;
}

public sealed class SetReservationConfig
{
    public string Mac { get; set; } = string.Empty;

    public string Dn { get; set; } = string.Empty;

    public bool PinMemory { get; set; }
}

public sealed class ElementConfig
{
    public string Name { get; set; } = "element-1";

    public int CeidIndex { get; set; } = 1;

    public string CeidDigits { get; set; } = "1";
}

/// <summary>Ports; 0 picks a free one (the demo and tests do that).</summary>
public sealed class PortsConfig
{
    public int Dhcp { get; set; } = 6767;

    public int Tftp { get; set; } = 6969;

    public int Registration { get; set; } = 6800;
}

public sealed class DhcpConfig
{
    public bool Enabled { get; set; } = true;

    public string PoolStart { get; set; } = "10.77.0.50";

    public string PoolEnd { get; set; } = "10.77.0.99";

    public string SubnetMask { get; set; } = "255.255.255.0";

    public string Router { get; set; } = "10.77.0.1";

    public List<string> DnsServers { get; set; } = new();

    public int LeaseSeconds { get; set; } = 3600;

    /// <summary>Offers unclaimed at a time before the oldest is withdrawn: bounds what a DISCOVER flood ties up (Protocol.Dhcp.DhcpServerConfig).</summary>
    public int PendingOfferLimit { get; set; } = 4096;

    /// <summary>Sub-option layout of Option 125: 0 (string directly), 1 (dnsmasq's vi-encap) or 130.</summary>
    public int Option125Encoding { get; set; } = 1;

    /// <summary>call_srv entries (address[:port]); default: this element.</summary>
    public List<string> CallServers { get; set; } = new();

    /// <summary>MAC → fixed address.</summary>
    public Dictionary<string, string> Reservations { get; set; } = new();
}

public sealed class TftpConfig
{
    public bool Enabled { get; set; } = true;

    public string Root { get; set; } = "boot";

    public int MaxConcurrentTransfers { get; set; } = 256;

    /// <summary>Requests past the concurrency cap that wait, unanswered, for a slot; past them "busy" (0: refuse at once).</summary>
    public int MaxQueuedRequests { get; set; } = 16384;

    /// <summary>Transfers one client address may run at once (a request flood from many ports of one host).</summary>
    public int MaxTransfersPerSource { get; set; } = 16;

    /// <summary>Serve boot.manifest (size, SHA-256 and version of each file in the root), built at start-up.</summary>
    public bool Manifest { get; set; } = true;
}

public sealed class SystemOptionsConfig
{
    public string RegistrationAccessCode { get; set; } = "***";

    public string ReplacementAccessCode { get; set; } = "###";
}

public sealed class DirectoryEntryConfig
{
    public string Number { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;
}

public sealed class ClusterElementConfig
{
    public int CeidIndex { get; set; }

    public string CeidDigits { get; set; } = string.Empty;

    public string Address { get; set; } = string.Empty;

    public int RegistrationPort { get; set; } = 6800;

    public string Comment { get; set; } = string.Empty;
}

public sealed class RemoteDirectoryNumberConfig
{
    public string Number { get; set; } = string.Empty;

    public int CeidIndex { get; set; }

    /// <summary>The DN's secondary element (resiliency), or null.</summary>
    public int? SecondaryCeidIndex { get; set; }
}
