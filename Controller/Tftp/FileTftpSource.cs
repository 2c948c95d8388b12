using System;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Protocol.Tftp;

namespace Controller.Tftp;

/// <summary>
/// An opened file as a TFTP session reads it: positional reads, length fixed at open. Reads go
/// through a small read-ahead buffer, so a window-1 transfer makes one read syscall per
/// <see cref="ReadAheadBytes"/> instead of one per block (tftpd-hpa gets the same from stdio).
/// </summary>
public sealed class FileTftpSource : ITftpFileSource, IDisposable
{
    /// <summary>Per transfer; 200 concurrent transfers hold 3.2 MiB of it.</summary>
    public const int ReadAheadBytes = 16 * 1024;

    private readonly FileStream _stream;

    // Taken once: FileStream.SafeFileHandle syncs the stream's position (an lseek) on every get.
    private readonly SafeFileHandle _handle;
    private readonly byte[] _readAhead = new byte[ReadAheadBytes];
    private long _readAheadPosition;
    private int _readAheadLength;

    public FileTftpSource(FileStream stream)
    {
        _stream = stream;
        _handle = stream.SafeFileHandle;
        Length = stream.Length;
    }

    public long Length { get; }

    public int Read(long position, byte[] buffer, int offset, int count)
    {
        if (count > ReadAheadBytes)
        {
            return RandomAccess.Read(_handle, buffer.AsSpan(offset, count), position);
        }

        if (position < _readAheadPosition || position + count > _readAheadPosition + _readAheadLength)
        {
            // A miss (the next stretch, or a block before the buffer): refill from the block
            // asked for. Length is fixed at open, so a short fill means end of file.
            _readAheadPosition = position;
            _readAheadLength = RandomAccess.Read(_handle, _readAhead, position);
        }

        int available = (int)Math.Min(count, _readAheadPosition + _readAheadLength - position);
        if (available <= 0)
        {
            return 0;
        }

        Array.Copy(_readAhead, (int)(position - _readAheadPosition), buffer, offset, available);
        return available;
    }

    public void Dispose()
    {
        _stream.Dispose();
    }
}
