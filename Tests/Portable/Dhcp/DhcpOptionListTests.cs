using Protocol.Common;
using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

[TestClass]
public class DhcpOptionListTests
{
    private static byte[] Encode(DhcpOptionList options)
    {
        ByteWriter writer = new ByteWriter(64);
        options.WriteTo(writer);
        return writer.ToArray();
    }

    private static DhcpOptionList Parse(byte[] area)
    {
        DhcpOptionList options = new DhcpOptionList();
        options.ParseArea(area, 0, area.Length);
        return options;
    }

    [TestMethod]
    public void SplitsValuesLongerThan255BytesIntoConsecutiveInstances()
    {
        DhcpOptionList options = new DhcpOptionList();
        byte[] value = Bytes.Filled(600, 3);
        options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, value);
        byte[] area = Encode(options);

        Assert.AreEqual(2 + 255 + 2 + 255 + 2 + 90 + 1, area.Length);
        Assert.AreEqual(125, (int)area[0]);
        Assert.AreEqual(255, (int)area[1]);
        Assert.AreEqual(125, (int)area[257]);
        Assert.AreEqual(255, (int)area[258]);
        Assert.AreEqual(125, (int)area[514]);
        Assert.AreEqual(90, (int)area[515]);
        Assert.AreEqual(255, (int)area[area.Length - 1]);
        Assert.AreEqual((int)value[255], (int)area[259]);
    }

    [TestMethod]
    public void SplitThenConcatenateRoundTripsAtEveryBoundary()
    {
        int[] lengths = new int[] { 0, 1, 254, 255, 256, 510, 511, 1000, DhcpOptionList.MaximumValueLength };
        for (int i = 0; i < lengths.Length; i++)
        {
            DhcpOptionList options = new DhcpOptionList();
            byte[] value = Bytes.Filled(lengths[i], i);
            options.Set(DhcpOptionCode.VendorSpecific, value);
            options.SetByte(DhcpOptionCode.MessageType, 5);
            DhcpOptionList parsed = Parse(Encode(options));
            Assert.AreEqual(2, parsed.Count, "length " + lengths[i].ToString());
            Assert.IsTrue(Bytes.Equal(value, parsed.Get(DhcpOptionCode.VendorSpecific)!), "length " + lengths[i].ToString());
            Assert.AreEqual(5, (int)parsed.Get(DhcpOptionCode.MessageType)![0]);
        }
    }

    [TestMethod]
    public void ConcatenatesNonAdjacentInstancesInOrder()
    {
        byte[] area = new byte[] { 43, 2, 1, 2, 53, 1, 5, 43, 0, 43, 3, 3, 4, 5, 255 };
        DhcpOptionList options = Parse(area);
        Assert.AreEqual(2, options.Count);
        Assert.AreEqual(43, (int)options[0].Code);
        Assert.AreEqual(53, (int)options[1].Code);
        Assert.IsTrue(Bytes.Equal(new byte[] { 1, 2, 3, 4, 5 }, options.Get(43)!));
    }

    [TestMethod]
    public void SkipsPadAndStopsAtEnd()
    {
        byte[] area = new byte[] { 0, 0, 1, 4, 255, 255, 255, 0, 0, 255, 3, 4, 10, 0, 0, 1 };
        DhcpOptionList options = Parse(area);
        Assert.AreEqual(1, options.Count);
        Assert.AreEqual(0xFFFFFF00u, options.GetUInt32(DhcpOptionCode.SubnetMask, 0));
        Assert.IsFalse(options.Contains(DhcpOptionCode.Router));
    }

    [TestMethod]
    public void AcceptsAnAreaWithoutEnd()
    {
        DhcpOptionList options = Parse(new byte[] { 53, 1, 2 });
        Assert.AreEqual(1, options.Count);
        Assert.AreEqual(2, (int)options.Get(53)![0]);
    }

    [TestMethod]
    public void RejectsAnOptionWithoutItsLengthByte()
    {
        AssertThrows.ParseError(() => Parse(new byte[] { 53, 1, 2, 54 }));
    }

    [TestMethod]
    public void RejectsAnOptionRunningPastTheArea()
    {
        AssertThrows.ParseError(() => Parse(new byte[] { 53, 2, 2 }));
        Assert.AreEqual(1, Parse(new byte[] { 53, 1, 2 }).Count);
    }

    [TestMethod]
    public void RejectsConcatenationBeyondTheMaximum()
    {
        // 17 instances of 255 bytes: 4335 bytes, more than one message can carry.
        byte[] area = new byte[17 * 257];
        for (int i = 0; i < 17; i++)
        {
            area[i * 257] = 43;
            area[(i * 257) + 1] = 255;
        }

        AssertThrows.ParseError(() => Parse(area));

        byte[] fits = new byte[16 * 257];
        System.Array.Copy(area, fits, fits.Length);
        Assert.AreEqual(16 * 255, Parse(fits).Get(43)!.Length);
    }

    [TestMethod]
    public void SetReplacesInPlaceAndKeepsOrder()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.SetByte(DhcpOptionCode.MessageType, 1);
        options.SetUInt32(DhcpOptionCode.LeaseTime, 60);
        options.SetByte(DhcpOptionCode.MessageType, 3);
        Assert.AreEqual(2, options.Count);
        Assert.AreEqual(DhcpOptionCode.MessageType, options[0].Code);
        Assert.AreEqual(3, (int)options.Get(DhcpOptionCode.MessageType)![0]);
        AssertThrows.Any(() => options.Set(43, new byte[DhcpOptionList.MaximumValueLength + 1]));
    }

    [TestMethod]
    public void TypedGettersFallBackOnWrongLengths()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.Set(DhcpOptionCode.LeaseTime, new byte[] { 0, 0, 1 });
        Assert.AreEqual(7u, options.GetUInt32(DhcpOptionCode.LeaseTime, 7));
        Assert.AreEqual(9u, options.GetUInt32(DhcpOptionCode.RenewalTime, 9));

        options.SetAddresses(DhcpOptionCode.DomainNameServer, new uint[] { 0x08080808, 0x01010101 });
        uint[] dns = options.GetAddresses(DhcpOptionCode.DomainNameServer);
        Assert.AreEqual(2, dns.Length);
        Assert.AreEqual(0x08080808u, dns[0]);
        Assert.AreEqual(0x01010101u, dns[1]);

        options.Set(DhcpOptionCode.Router, new byte[] { 10, 0, 0, 1, 2 });
        Assert.AreEqual(0, options.GetAddresses(DhcpOptionCode.Router).Length);
        Assert.AreEqual(0, options.GetAddresses(DhcpOptionCode.HostName).Length);
    }

    [TestMethod]
    public void SetStringWritesAscii()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.SetString(DhcpOptionCode.VendorClassIdentifier, "ipphone.mitel.com");
        byte[] area = Encode(options);
        Assert.AreEqual(60, (int)area[0]);
        Assert.AreEqual(17, (int)area[1]);
        Assert.AreEqual("ipphone.mitel.com", Ascii.GetPrintableString(area, 2, 17));
    }
}
