using Protocol.Dhcp;

namespace Tests.Portable.Dhcp;

/// <summary>
/// <see cref="DhcpMessage.PeekMessageType"/>, the host's cheap look at option 53 to put REQUESTs
/// before DISCOVERs: it finds the type past pads and other options, and says None for anything it
/// cannot read plainly (no cookie, cut short, a bad length or value, the end option first).
/// </summary>
[TestClass]
public class DhcpMessagePeekTests
{
    [TestMethod]
    public void FindsTheTypeOfAnEncodedMessage()
    {
        foreach (DhcpMessageType type in new[] { DhcpMessageType.Discover, DhcpMessageType.Request, DhcpMessageType.Release, DhcpMessageType.Inform })
        {
            DhcpMessage message = new DhcpMessage();
            message.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, 0x0A000001);
            message.MessageType = type;
            byte[] encoded = message.Encode();
            Assert.AreEqual(type, DhcpMessage.PeekMessageType(encoded, encoded.Length), type.ToString());
        }
    }

    [TestMethod]
    public void SkipsPadsAndOtherOptionsBeforeTheType()
    {
        byte[] datagram = Raw(0, 0, 50, 4, 10, 0, 0, 7, 0, 53, 1, 3, 255);
        Assert.AreEqual(DhcpMessageType.Request, DhcpMessage.PeekMessageType(datagram, datagram.Length));
    }

    [TestMethod]
    public void CountsOnlyTheReceivedBytes()
    {
        // A reused receive buffer: a type past the datagram's length is an earlier datagram's.
        byte[] buffer = Raw(50, 4, 10, 0, 0, 7, 53, 1, 1, 255);
        Assert.AreEqual(DhcpMessageType.Discover, DhcpMessage.PeekMessageType(buffer, buffer.Length));
        Assert.AreEqual(DhcpMessageType.None, DhcpMessage.PeekMessageType(buffer, buffer.Length - 4), "the type lies past the count");
        Assert.AreEqual(DhcpMessageType.None, DhcpMessage.PeekMessageType(buffer, buffer.Length - 2), "the type's value lies past the count");
        Assert.AreEqual(DhcpMessageType.None, DhcpMessage.PeekMessageType(buffer, 100), "shorter than the header");
    }

    [TestMethod]
    public void SaysNoneForWhatItCannotReadPlainly()
    {
        Assert.AreEqual(DhcpMessageType.None, Peek(255, 53, 1, 1), "the end option comes first");
        Assert.AreEqual(DhcpMessageType.None, Peek(53, 2, 1, 1, 255), "a type two bytes long");
        Assert.AreEqual(DhcpMessageType.None, Peek(53, 1, 9, 255), "no such type");
        Assert.AreEqual(DhcpMessageType.None, Peek(53, 1, 0, 255), "type zero");
        Assert.AreEqual(DhcpMessageType.None, Peek(12), "an option code and no length");
        Assert.AreEqual(DhcpMessageType.None, Peek(), "no options");

        byte[] noCookie = Raw(53, 1, 1, 255);
        for (int i = 236; i < 240; i++)
        {
            byte[] broken = (byte[])noCookie.Clone();
            broken[i] ^= 0xFF;
            Assert.AreEqual(DhcpMessageType.None, DhcpMessage.PeekMessageType(broken, broken.Length), "cookie byte " + i + " wrong");
        }
    }

    private static DhcpMessageType Peek(params int[] options)
    {
        byte[] datagram = Raw(options);
        return DhcpMessage.PeekMessageType(datagram, datagram.Length);
    }

    // A BOOTREQUEST header of zeros, the magic cookie, then the given option bytes.
    private static byte[] Raw(params int[] options)
    {
        byte[] datagram = new byte[DhcpMessage.FixedLength + 4 + options.Length];
        datagram[0] = DhcpMessage.BootRequest;
        datagram[236] = 0x63;
        datagram[237] = 0x82;
        datagram[238] = 0x53;
        datagram[239] = 0x63;
        for (int i = 0; i < options.Length; i++)
        {
            datagram[240 + i] = (byte)options[i];
        }

        return datagram;
    }
}
