using System;
using Protocol.Tftp;

namespace Tests.Portable.Support;

/// <summary>
/// A TFTP file whose reads come back short, as a file system's may: every other read returns at
/// most <c>shortRead</c> bytes. It can claim more bytes than it holds, like a file that shrank
/// after the server took its length: reads past what it holds return 0.
/// </summary>
public sealed class ShortReadFileSource : ITftpFileSource
{
    private readonly byte[] _content;
    private readonly int _shortRead;

    public ShortReadFileSource(byte[] content, long claimedLength, int shortRead)
    {
        _content = content;
        Length = claimedLength;
        _shortRead = shortRead;
    }

    public long Length { get; }

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
        if (Reads % 2 == 1 && n > _shortRead)
        {
            n = _shortRead;
        }

        Array.Copy(_content, (int)position, buffer, offset, n);
        return n;
    }
}
