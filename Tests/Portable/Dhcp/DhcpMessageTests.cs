using Protocol.Common;
using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

[TestClass]
public class DhcpMessageTests
{
    private static readonly byte[] Mac = new byte[] { 0x08, 0x00, 0x0F, 0x12, 0x34, 0x56 };

    [TestMethod]
    public void EncodeThenParseKeepsEveryField()
    {
        DhcpMessage message = new DhcpMessage();
        message.Op = DhcpMessage.BootReply;
        message.TransactionId = 0xDEADBEEF;
        message.Seconds = 12;
        message.Flags = DhcpMessage.BroadcastFlag;
        message.ClientAddress = 0x0A000002;
        message.YourAddress = 0x0A000064;
        message.NextServerAddress = 0x0A000001;
        message.RelayAddress = 0x0A0000FE;
        message.ClientHardwareAddress = Mac;
        message.MessageType = DhcpMessageType.Offer;
        message.Options.SetUInt32(DhcpOptionCode.LeaseTime, 3600);

        byte[] encoded = message.Encode();
        DhcpMessage parsed = DhcpMessage.Parse(encoded, 0, encoded.Length);

        Assert.AreEqual(DhcpMessage.BootReply, parsed.Op);
        Assert.AreEqual(0xDEADBEEFu, parsed.TransactionId);
        Assert.AreEqual(12, parsed.Seconds);
        Assert.AreEqual(DhcpMessage.BroadcastFlag, parsed.Flags);
        Assert.AreEqual(0x0A000002u, parsed.ClientAddress);
        Assert.AreEqual(0x0A000064u, parsed.YourAddress);
        Assert.AreEqual(0x0A000001u, parsed.NextServerAddress);
        Assert.AreEqual(0x0A0000FEu, parsed.RelayAddress);
        Assert.AreEqual(1, parsed.HardwareType);
        Assert.IsTrue(Bytes.Equal(Mac, parsed.ClientHardwareAddress));
        Assert.AreEqual(DhcpMessageType.Offer, parsed.MessageType);
        Assert.AreEqual(3600u, parsed.Options.GetUInt32(DhcpOptionCode.LeaseTime, 0));
        Assert.IsTrue(parsed.IsFor(Mac));
    }

    [TestMethod]
    public void EncodesTheFixedHeaderAtRfc2131Offsets()
    {
        DhcpMessage message = new DhcpMessage();
        message.TransactionId = 0x01020304;
        message.ClientHardwareAddress = Mac;
        message.MessageType = DhcpMessageType.Discover;
        byte[] encoded = message.Encode();

        Assert.AreEqual(1, (int)encoded[0]); // op
        Assert.AreEqual(1, (int)encoded[1]); // htype
        Assert.AreEqual(6, (int)encoded[2]); // hlen
        Assert.AreEqual(0x01020304u, BigEndian.ReadUInt32(encoded, 4));
        Assert.AreEqual(0x08, (int)encoded[28]); // chaddr
        Assert.AreEqual(0x56, (int)encoded[33]);
        Assert.AreEqual(DhcpMessage.MagicCookie, BigEndian.ReadUInt32(encoded, 236));
        Assert.AreEqual((int)DhcpOptionCode.MessageType, (int)encoded[240]);
        Assert.AreEqual(1, (int)encoded[241]);
        Assert.AreEqual((int)DhcpMessageType.Discover, (int)encoded[242]);
        Assert.AreEqual((int)DhcpOptionCode.End, (int)encoded[243]);
    }

    [TestMethod]
    public void PadsShortMessagesToTheBootpMinimum()
    {
        DhcpMessage message = new DhcpMessage();
        message.MessageType = DhcpMessageType.Discover;
        Assert.AreEqual(300, message.Encode().Length);

        message.Options.Set(DhcpOptionCode.HostName, Bytes.Filled(200, 1));
        byte[] longer = message.Encode();
        Assert.AreEqual(240 + 3 + 202 + 1, longer.Length);
    }

    [TestMethod]
    public void ClampsSecondsToSixteenBits()
    {
        DhcpMessage message = new DhcpMessage();
        message.Seconds = 100000;
        byte[] encoded = message.Encode();
        Assert.AreEqual(0xFFFF, DhcpMessage.Parse(encoded, 0, encoded.Length).Seconds);
    }

    [TestMethod]
    public void ParsesAMessageInsideALargerBuffer()
    {
        DhcpMessage message = new DhcpMessage();
        message.TransactionId = 77;
        message.MessageType = DhcpMessageType.Request;
        byte[] encoded = message.Encode();
        byte[] buffer = new byte[encoded.Length + 20];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = 0xEE;
        }

        System.Array.Copy(encoded, 0, buffer, 7, encoded.Length);
        DhcpMessage parsed = DhcpMessage.Parse(buffer, 7, encoded.Length);
        Assert.AreEqual(77u, parsed.TransactionId);
        Assert.AreEqual(DhcpMessageType.Request, parsed.MessageType);
    }

    [TestMethod]
    public void RejectsMessagesShorterThanHeaderAndCookie()
    {
        byte[] encoded = new DhcpMessage().Encode();
        AssertThrows.ParseError(() => DhcpMessage.Parse(encoded, 0, 239));
        Assert.IsNotNull(DhcpMessage.Parse(encoded, 0, 240));
    }

    [TestMethod]
    public void RejectsMessagesLongerThanTheMaximum()
    {
        byte[] big = new byte[DhcpMessage.MaximumLength + 1];
        byte[] encoded = new DhcpMessage().Encode();
        System.Array.Copy(encoded, big, encoded.Length);
        AssertThrows.ParseError(() => DhcpMessage.Parse(big, 0, big.Length));
        Assert.IsNotNull(DhcpMessage.Parse(big, 0, DhcpMessage.MaximumLength));
    }

    [TestMethod]
    public void RejectsBadRanges()
    {
        byte[] encoded = new DhcpMessage().Encode();
        AssertThrows.ParseError(() => DhcpMessage.Parse(encoded, 1, encoded.Length));
        AssertThrows.ParseError(() => DhcpMessage.Parse(encoded, -1, 250));
        AssertThrows.ParseError(() => DhcpMessage.Parse(encoded, 0, -1));
    }

    [TestMethod]
    public void RejectsUnknownOp()
    {
        byte[] encoded = new DhcpMessage().Encode();
        encoded[0] = 3;
        AssertThrows.ParseError(() => DhcpMessage.Parse(encoded, 0, encoded.Length));
        encoded[0] = 0;
        AssertThrows.ParseError(() => DhcpMessage.Parse(encoded, 0, encoded.Length));
    }

    [TestMethod]
    public void RejectsHardwareAddressLongerThanSixteen()
    {
        byte[] encoded = new DhcpMessage().Encode();
        encoded[2] = 16;
        Assert.AreEqual(16, DhcpMessage.Parse(encoded, 0, encoded.Length).ClientHardwareAddress.Length);
        encoded[2] = 17;
        AssertThrows.ParseError(() => DhcpMessage.Parse(encoded, 0, encoded.Length));
    }

    [TestMethod]
    public void RejectsMissingMagicCookie()
    {
        byte[] encoded = new DhcpMessage().Encode();
        encoded[239] ^= 1;
        AssertThrows.ParseError(() => DhcpMessage.Parse(encoded, 0, encoded.Length));
    }

    [TestMethod]
    public void RejectsAnOptionRunningPastTheMessage()
    {
        DhcpMessage message = new DhcpMessage();
        message.MessageType = DhcpMessageType.Discover;
        byte[] encoded = message.Encode();
        encoded[241] = 200; // option 53 claims 200 bytes; only the padding follows
        AssertThrows.ParseError(() => DhcpMessage.Parse(encoded, 0, 250));
    }

    [TestMethod]
    public void MessageTypeIsNoneWhenAbsentOrOutOfRange()
    {
        DhcpMessage message = new DhcpMessage();
        Assert.AreEqual(DhcpMessageType.None, message.MessageType);
        message.Options.SetByte(DhcpOptionCode.MessageType, 9);
        Assert.AreEqual(DhcpMessageType.None, message.MessageType);
        message.Options.SetByte(DhcpOptionCode.MessageType, 0);
        Assert.AreEqual(DhcpMessageType.None, message.MessageType);
        message.Options.Set(DhcpOptionCode.MessageType, new byte[] { 1, 1 });
        Assert.AreEqual(DhcpMessageType.None, message.MessageType);
        message.Options.SetByte(DhcpOptionCode.MessageType, 8);
        Assert.AreEqual(DhcpMessageType.Inform, message.MessageType);
    }

    [TestMethod]
    public void ReadsOptionsFromTheFileAndSnameFieldsWhenOverloaded()
    {
        DhcpMessage message = new DhcpMessage();
        message.MessageType = DhcpMessageType.Offer;
        message.Options.SetByte(DhcpOptionCode.Overload, 3);
        byte[] encoded = message.Encode();

        // file (offset 108): option 12 "file", then End; sname (offset 44): option 56 "sname".
        byte[] inFile = new byte[] { 12, 4, (byte)'f', (byte)'i', (byte)'l', (byte)'e', 255 };
        byte[] inSname = new byte[] { 0, 56, 5, (byte)'s', (byte)'n', (byte)'a', (byte)'m', (byte)'e', 255 };
        System.Array.Copy(inFile, 0, encoded, 108, inFile.Length);
        System.Array.Copy(inSname, 0, encoded, 44, inSname.Length);

        DhcpMessage parsed = DhcpMessage.Parse(encoded, 0, encoded.Length);
        Assert.AreEqual("file", Bytes.Text(parsed.Options.Get(DhcpOptionCode.HostName)!));
        Assert.AreEqual("sname", Bytes.Text(parsed.Options.Get(DhcpOptionCode.Message)!));
    }

    [TestMethod]
    public void IgnoresTheFileFieldWithoutOverload()
    {
        DhcpMessage message = new DhcpMessage();
        byte[] encoded = message.Encode();
        byte[] inFile = new byte[] { 12, 4, (byte)'f', (byte)'i', (byte)'l', (byte)'e', 255 };
        System.Array.Copy(inFile, 0, encoded, 108, inFile.Length);
        Assert.IsNull(DhcpMessage.Parse(encoded, 0, encoded.Length).Options.Get(DhcpOptionCode.HostName));

        // Overload 2 (sname only) must not read the file field either.
        message.Options.SetByte(DhcpOptionCode.Overload, 2);
        encoded = message.Encode();
        System.Array.Copy(inFile, 0, encoded, 108, inFile.Length);
        Assert.IsNull(DhcpMessage.Parse(encoded, 0, encoded.Length).Options.Get(DhcpOptionCode.HostName));
    }

    [TestMethod]
    public void ConcatenatesAnOptionSplitAcrossOptionsFileAndSname()
    {
        // RFC 3396 §6: options field first, then file, then sname.
        DhcpMessage message = new DhcpMessage();
        message.Options.SetByte(DhcpOptionCode.Overload, 3);
        message.Options.Set(DhcpOptionCode.VendorSpecific, new byte[] { 1, 2 });
        byte[] encoded = message.Encode();
        System.Array.Copy(new byte[] { 43, 2, 3, 4, 255 }, 0, encoded, 108, 5);
        System.Array.Copy(new byte[] { 43, 1, 5, 255 }, 0, encoded, 44, 4);

        byte[] value = DhcpMessage.Parse(encoded, 0, encoded.Length).Options.Get(DhcpOptionCode.VendorSpecific)!;
        Assert.IsTrue(Bytes.Equal(new byte[] { 1, 2, 3, 4, 5 }, value), Bytes.Hex(value));
    }

    [TestMethod]
    public void IsForComparesTheWholeHardwareAddress()
    {
        DhcpMessage message = new DhcpMessage();
        message.ClientHardwareAddress = Mac;
        Assert.IsTrue(message.IsFor(new byte[] { 0x08, 0x00, 0x0F, 0x12, 0x34, 0x56 }));
        Assert.IsFalse(message.IsFor(new byte[] { 0x08, 0x00, 0x0F, 0x12, 0x34, 0x57 }));
        Assert.IsFalse(message.IsFor(new byte[] { 0x08, 0x00, 0x0F, 0x12, 0x34 }));
    }
}
