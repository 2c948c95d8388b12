using System;
using System.IO;
using Controller.Tftp;

namespace Tests.Controller.Tftp;

/// <summary>The read-ahead of <see cref="FileTftpSource"/> returns the file's bytes wherever a read falls.</summary>
[TestClass]
public class FileTftpSourceTests
{
    [TestMethod]
    public void ReadsMatchTheFileAcrossReadAheadEdgesBackwardsAndPastTheEnd()
    {
        string path = Path.Combine(Path.GetTempPath(), "tftp-source-" + Guid.NewGuid().ToString("N"));
        byte[] content = new byte[(3 * FileTftpSource.ReadAheadBytes) + 777];
        new Random(7).NextBytes(content);
        File.WriteAllBytes(path, content);
        try
        {
            using FileTftpSource source = new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess));
            Assert.AreEqual(content.Length, source.Length);

            // Sequential blocks that do not divide the read-ahead, then a retransmitted earlier
            // block, a read larger than the read-ahead, and a read at the end of the file.
            long[] positions = { 0, 1468, 16 * 1024 - 100, 2 * 1468, 5000, content.Length - 500 };
            int[] counts = { 1468, 1468, 1468, 1468, FileTftpSource.ReadAheadBytes + 10, 1468 };
            for (int i = 0; i < positions.Length; i++)
            {
                byte[] buffer = new byte[counts[i] + 3];
                int total = 0;
                int n;
                while (total < counts[i] && (n = source.Read(positions[i] + total, buffer, 3 + total, counts[i] - total)) > 0)
                {
                    total += n;
                }

                int expected = (int)Math.Min(counts[i], content.Length - positions[i]);
                Assert.AreEqual(expected, total, "bytes read at " + positions[i]);
                CollectionAssert.AreEqual(content.AsSpan((int)positions[i], expected).ToArray(), buffer.AsSpan(3, expected).ToArray(), "bytes at " + positions[i]);
            }

            Assert.AreEqual(0, source.Read(content.Length, new byte[10], 0, 10));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
