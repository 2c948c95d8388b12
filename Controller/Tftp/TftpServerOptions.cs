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

    /// <summary>Transfers at once, each on its own thread; requests beyond wait in the admission queue.</summary>
    public int MaxConcurrentTransfers { get; init; } = 256;

    /// <summary>
    /// Requests past the concurrency cap that wait, unanswered, and start in arrival order as
    /// transfers end (a boot storm's phones are served in turn instead of being told "busy" and
    /// giving up); past this many a request is refused with a "busy" error. 0: refuse at once.
    /// </summary>
    public int MaxQueuedRequests { get; init; } = 16384;

    /// <summary>
    /// How long a queued request stays worth starting after its client last sent it: a waiting
    /// phone retransmits at least every 8 s, however long it has waited, so a request not heard of
    /// for this long belongs to a client that gave up, and is dropped unanswered when its turn comes.
    /// </summary>
    public int QueuedRequestLifetimeMs { get; init; } = 20000;

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
