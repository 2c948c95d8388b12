namespace Protocol.Tftp;

/// <summary>What a server session reads a file through; the host opens it, the session never does.</summary>
public interface ITftpFileSource
{
    long Length { get; }

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="position"/>; returns the number read.</summary>
    int Read(long position, byte[] buffer, int offset, int count);
}
