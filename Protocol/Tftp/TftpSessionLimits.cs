namespace Protocol.Tftp;

/// <summary>What a server session grants and how long it waits for the client.</summary>
public sealed class TftpSessionLimits
{
    public int MaximumBlockSize { get; set; } = TftpOptionNames.MaximumBlockSize;

    public int MaximumWindowSize { get; set; } = 64;

    public long RetransmitMs { get; set; } = 1000;

    /// <summary>Retransmissions of one window before the session gives up on the client.</summary>
    public int MaximumRetries { get; set; } = 5;

    /// <summary>
    /// The largest RFC 2349 timeout granted. The server must echo the client's value or not grant it,
    /// so a larger one (up to 255 s, a silent client holding its slot for minutes) is left out of the OACK.
    /// </summary>
    public int MaximumTimeoutSeconds { get; set; } = 10;
}
