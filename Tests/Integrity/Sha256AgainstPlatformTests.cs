using System;
using System.Security.Cryptography;
using PhoneFirmware.Core.Integrity;

namespace Tests.Integrity;

[TestClass]
public class Sha256AgainstPlatformTests
{
    [TestMethod]
    public void MatchesThePlatformHashForAnySizeAndChunking()
    {
        Random random = new(1234);
        for (int size = 0; size < 300; size += 7)
        {
            byte[] data = new byte[size * 13];
            random.NextBytes(data);
            Sha256 hash = new();
            int offset = 0;
            while (offset < data.Length)
            {
                int chunk = Math.Min(random.Next(1, 200), data.Length - offset);
                hash.Update(data, offset, chunk);
                offset += chunk;
            }

            CollectionAssert.AreEqual(SHA256.HashData(data), hash.Finish(), "size " + data.Length);
        }
    }
}
