namespace Protocol.Tftp;

/// <summary>What a server session grants and how long it waits for the client.</summary>
public sealed class TftpSessionLimits
{
    public int MaximumBlockSize { get; set; } = TftpOptionNames.MaximumBlockSize;

    public int MaximumWindowSize { get; set; } = 64;

    public long RetransmitMs { get; set; } = 1000;

    /// <summary>Retransmissions of one window before the session gives up on the client.</summary>
    public int MaximumRetries { get; set; } = 5;
}
