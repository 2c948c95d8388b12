using System.Net;

namespace Controller.Tftp;

/// <summary>How the element's TFTP server is bound and limited.</summary>
public sealed class TftpServerOptions
{
    /// <summary>The only directory served; nothing outside it can be read.</summary>
    public string RootDirectory { get; init; } = ".";

    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The request port (69 on a real network; 0 picks a free port).</summary>
    public int Port { get; init; }

    /// <summary>Transfers beyond this are refused with a "busy" error rather than slowing every phone.</summary>
    public int MaxConcurrentTransfers { get; init; } = 256;

    /// <summary>Transfers one client address may run at once: a flood from many ports of one host cannot take every slot (a phone fetches one file at a time).</summary>
    public int MaxTransfersPerSource { get; init; } = 16;

    /// <summary>Files served from memory by name (the boot manifest), ahead of the root directory.</summary>
    public System.Collections.Generic.IReadOnlyDictionary<string, byte[]> VirtualFiles { get; init; } = new System.Collections.Generic.Dictionary<string, byte[]>();

    public int MaximumBlockSize { get; init; } = 65464;

    public int MaximumWindowSize { get; init; } = 64;

    public int RetransmitMs { get; init; } = 1000;

    /// <summary>Retransmissions of one window to a silent client before the transfer is dropped.</summary>
    public int MaximumRetries { get; init; } = 5;
}
