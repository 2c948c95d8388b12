using Protocol.Tftp;

namespace Tests.Portable.Support;

/// <summary>
/// A large TFTP file computed rather than stored: the byte at position p is <see cref="ByteAt"/>(p).
/// Pairs with <see cref="PatternSink"/>, which checks every byte it receives against the same formula.
/// </summary>
public sealed class PatternFileSource : ITftpFileSource
{
    public PatternFileSource(long length)
    {
        Length = length;
    }

    public long Length { get; }

    public static byte ByteAt(long position)
    {
        // Varies within a block and from block to block, so a wrong or repeated block is caught.
        return (byte)((position * 7) + (position >> 8) + (position >> 16));
    }

    public int Read(long position, byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && position + n < Length)
        {
            buffer[offset + n] = ByteAt(position + n);
            n++;
        }

        return n;
    }
}
