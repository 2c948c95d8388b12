using Protocol.Tftp;

namespace Tests.Portable.Support;

/// <summary>Receives a transfer of a <see cref="PatternFileSource"/> file and checks each byte in place.</summary>
public sealed class PatternSink : ITftpDataSink
{
    public long Received { get; private set; }

    /// <summary>Position of the first byte that differed from the pattern, or -1.</summary>
    public long FirstMismatch { get; private set; } = -1;

    public int Writes { get; private set; }

    public void Write(byte[] buffer, int offset, int count)
    {
        Writes++;
        for (int i = 0; i < count; i++)
        {
            if (FirstMismatch < 0 && buffer[offset + i] != PatternFileSource.ByteAt(Received + i))
            {
                FirstMismatch = Received + i;
            }
        }

        Received += count;
    }
}
