using System;
using Protocol.Tftp;

namespace Controller.Tftp;

/// <summary>A file served from memory (the generated boot manifest).</summary>
public sealed class MemoryTftpSource : ITftpFileSource
{
    private readonly byte[] _content;

    public MemoryTftpSource(byte[] content)
    {
        _content = content;
    }

    public long Length => _content.Length;

    public int Read(long position, byte[] buffer, int offset, int count)
    {
        int n = (int)Math.Min(count, _content.Length - position);
        Array.Copy(_content, position, buffer, offset, n);
        return n;
    }
}
