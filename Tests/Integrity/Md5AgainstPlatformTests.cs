using System.Security.Cryptography;
using Protocol.Common;
using Protocol.Sip;

namespace Tests.Integrity;

[TestClass]
public class Md5AgainstPlatformTests
{
    [TestMethod]
    public void MatchesThePlatformAcrossPaddingBoundariesAndOffsets()
    {
        // 55, 56 and 64 bytes cross the length-field boundary; the offset must be honoured.
        for (int length = 0; length < 300; length++)
        {
            byte[] data = new byte[length + 3];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (byte)((i * 31) + length);
            }

            byte[] ours = Md5.Hash(data, 3, length);
            byte[] theirs = MD5.HashData(new System.ReadOnlySpan<byte>(data, 3, length));
            Assert.AreEqual(Ascii.ToHex(theirs, 0, 16), Ascii.ToHex(ours, 0, 16), "length " + length.ToString());
        }
    }
}
