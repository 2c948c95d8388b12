using PhoneFirmware.Core.Integrity;
using Protocol.Common;

namespace Tests.Portable.Integrity;

[TestClass]
public class Sha256Tests
{
    [TestMethod]
    public void HashesTheFipsExampleAbc()
    {
        Sha256 hash = new Sha256();
        hash.Update(Ascii.GetBytes("abc"), 0, 3);
        byte[] digest = hash.Finish();
        Assert.AreEqual("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Ascii.ToHex(digest, 0, digest.Length));
    }

    [TestMethod]
    public void HashesTheEmptyInput()
    {
        byte[] digest = new Sha256().Finish();
        Assert.AreEqual("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Ascii.ToHex(digest, 0, digest.Length));
    }

    [TestMethod]
    public void CrcMatchesTheStandardCheckValue()
    {
        byte[] data = Ascii.GetBytes("123456789");
        Assert.AreEqual(0xCBF43926u, Crc32.Compute(data, 0, data.Length));
    }
}
