using System;
using System.IO;
using Protocol.Tftp;

namespace Controller.Tftp;

/// <summary>An opened file as a TFTP session reads it: positional reads, length fixed at open.</summary>
public sealed class FileTftpSource : ITftpFileSource, IDisposable
{
    private readonly FileStream _stream;

    public FileTftpSource(FileStream stream)
    {
        _stream = stream;
        Length = stream.Length;
    }

    public long Length { get; }

    public int Read(long position, byte[] buffer, int offset, int count)
    {
        return RandomAccess.Read(_stream.SafeFileHandle, buffer.AsSpan(offset, count), position);
    }

    public void Dispose()
    {
        _stream.Dispose();
    }
}
