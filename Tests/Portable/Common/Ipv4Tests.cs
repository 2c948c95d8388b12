using Protocol.Common;

namespace Tests.Portable.Common;

[TestClass]
public class Ipv4Tests
{
    [TestMethod]
    public void ParsesAndFormatsDottedQuad()
    {
        uint address;
        Assert.IsTrue(Ipv4.TryParse("10.37.20.11", out address));
        Assert.AreEqual(0x0A25140Bu, address);
        Assert.AreEqual("10.37.20.11", Ipv4.Format(address));
    }

    [TestMethod]
    public void RefusesMalformedAddresses()
    {
        uint address;
        Assert.IsFalse(Ipv4.TryParse("10.37.20", out address));
        Assert.IsFalse(Ipv4.TryParse("10.37.20.256", out address));
        Assert.IsFalse(Ipv4.TryParse("10.37..11", out address));
        Assert.IsFalse(Ipv4.TryParse("10.37.20.11.1", out address));
        Assert.IsFalse(Ipv4.TryParse("a.b.c.d", out address));
        Assert.IsFalse(Ipv4.TryParse("0010.1.1.1", out address));
    }

    [TestMethod]
    public void ByteReaderRefusesToReadPastTheEnd()
    {
        ByteReader reader = new ByteReader(new byte[] { 1, 2, 3 }, 1, 2);
        Assert.AreEqual(0x0203, (int)reader.ReadUInt16());
        Tests.Portable.Support.AssertThrows.ParseError(() => reader.ReadByte());
    }
}
