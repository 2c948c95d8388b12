namespace Protocol.Tftp;

/// <summary>What a read transfer asks the server for, and how patiently it waits.</summary>
public sealed class TftpReadOptions
{
    /// <summary>Requested block size; 512 sends no blksize option.</summary>
    public int BlockSize { get; set; } = TftpOptionNames.DefaultBlockSize;

    /// <summary>Requested window (RFC 7440); 1 sends no windowsize option.</summary>
    public int WindowSize { get; set; } = 1;

    /// <summary>Ask for the file size (tsize=0) so progress can be shown.</summary>
    public bool RequestTransferSize { get; set; } = true;

    /// <summary>Wait before retransmitting, in milliseconds.</summary>
    public long RetransmitMs { get; set; } = 1000;

    /// <summary>
    /// An unanswered request is retransmitted after twice the last wait, from <see cref="RetransmitMs"/>
    /// up to this (RFC 1123 §4.2.3.2: an adaptive timeout): a server swamped by a boot storm
    /// needs time, not more requests. Data-phase ACKs keep <see cref="RetransmitMs"/>.
    /// </summary>
    public long MaximumRequestRetransmitMs { get; set; } = 8000;

    /// <summary>
    /// How long an unanswered request is retried, from the first one; 0: only
    /// <see cref="MaximumRetries"/> times. A server working through a boot storm holds requests
    /// unanswered in its queue or answers ERROR 0 ("busy"): the phone waits for it, with the
    /// capped back-off, instead of giving the server up after 31 s; past this the transfer fails,
    /// so a dead server still ends in the next server or a reset.
    /// </summary>
    public long RequestPatienceMs { get; set; }

    /// <summary>Retransmissions of one packet before the transfer fails (the request's too, unless <see cref="RequestPatienceMs"/> is set).</summary>
    public int MaximumRetries { get; set; } = 5;

    /// <summary>Largest file accepted; a server announcing or sending more is refused.</summary>
    public long MaximumFileSize { get; set; } = 64L * 1024 * 1024;

    public bool RequestsOptions => BlockSize != TftpOptionNames.DefaultBlockSize || WindowSize != 1 || RequestTransferSize;
}
