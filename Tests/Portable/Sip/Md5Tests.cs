using Protocol.Common;
using Protocol.Sip;

namespace Tests.Portable.Sip;

[TestClass]
public class Md5Tests
{
    private static string Hex(string text)
    {
        byte[] bytes = Ascii.GetBytes(text);
        byte[] digest = Md5.Hash(bytes, 0, bytes.Length);
        return Ascii.ToHex(digest, 0, digest.Length);
    }

    [TestMethod]
    public void MatchesTheRfc1321TestSuite()
    {
        // RFC 1321 §A.5.
        Assert.AreEqual("d41d8cd98f00b204e9800998ecf8427e", Hex(string.Empty));
        Assert.AreEqual("0cc175b9c0f1b6a831c399e269772661", Hex("a"));
        Assert.AreEqual("900150983cd24fb0d6963f7d28e17f72", Hex("abc"));
        Assert.AreEqual("f96b697d7cb7938d525a2f31aaf161d0", Hex("message digest"));
        Assert.AreEqual("c3fcd3d76192e4007dfb496cca67e13b", Hex("abcdefghijklmnopqrstuvwxyz"));
        Assert.AreEqual("d174ab98d277d9f5a5611c2c9f419d9f", Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"));
        Assert.AreEqual("57edf4a22be3c955ac49da2e2107b67a", Hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"));
    }
}
