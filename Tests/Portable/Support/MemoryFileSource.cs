using System;
using Protocol.Tftp;

namespace Tests.Portable.Support;

/// <summary>A TFTP file held in memory; counts the reads the session makes.</summary>
public sealed class MemoryFileSource : ITftpFileSource
{
    private readonly byte[] _content;

    public MemoryFileSource(byte[] content)
    {
        _content = content;
    }

    public long Length => _content.Length;

    public int Reads { get; private set; }

    public int Read(long position, byte[] buffer, int offset, int count)
    {
        Reads++;
        if (position >= _content.Length)
        {
            return 0;
        }

        int available = (int)(_content.Length - position);
        int n = count < available ? count : available;
        Array.Copy(_content, (int)position, buffer, offset, n);
        return n;
    }
}
