namespace Protocol.Tftp;

/// <summary>Option names and limits (RFC 2348 blksize, RFC 2349 timeout/tsize, RFC 7440 windowsize).</summary>
public static class TftpOptionNames
{
    public const string BlockSize = "blksize";
    public const string Timeout = "timeout";
    public const string TransferSize = "tsize";
    public const string WindowSize = "windowsize";

    public const int DefaultBlockSize = 512;
    public const int MinimumBlockSize = 8;
    public const int MaximumBlockSize = 65464;
    public const int MaximumWindowSize = 65535;
}
