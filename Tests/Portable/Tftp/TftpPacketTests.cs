using Protocol.Common;
using Protocol.Tftp;
using Tests.Portable.Support;

namespace Tests.Portable.Tftp;

[TestClass]
public class TftpPacketTests
{
    private static TftpPacket Parse(byte[] data)
    {
        return TftpPacket.Parse(data, 0, data.Length);
    }

    private static byte[] Raw(int opcode, string body)
    {
        byte[] text = Ascii.GetBytes(body);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)'|')
            {
                text[i] = 0;
            }
        }

        byte[] packet = new byte[2 + text.Length];
        BigEndian.WriteUInt16(packet, 0, opcode);
        System.Array.Copy(text, 0, packet, 2, text.Length);
        return packet;
    }

    [TestMethod]
    public void ReadRequestRoundTripsWithOptions()
    {
        byte[] encoded = TftpPacketWriter.Request(TftpOpcode.ReadRequest, "6930/boot.bin", "octet", new string[] { "blksize", "tsize" }, new string[] { "1428", "0" });
        Assert.AreEqual("0001" + Bytes.Hex(Ascii.GetBytes("6930/boot.bin")) + "00" + Bytes.Hex(Ascii.GetBytes("octet")) + "00", Bytes.Hex(encoded).Substring(0, 2 * (2 + 14 + 6)));
        TftpPacket packet = Parse(encoded);
        Assert.AreEqual(TftpOpcode.ReadRequest, packet.Opcode);
        Assert.AreEqual("6930/boot.bin", packet.FileName);
        Assert.AreEqual("octet", packet.Mode);
        Assert.AreEqual(2, packet.OptionNames.Length);
        Assert.AreEqual("1428", packet.Option("blksize"));
        Assert.AreEqual("0", packet.Option("tsize"));
        Assert.IsNull(packet.Option("windowsize"));
    }

    [TestMethod]
    public void LowerCasesModeAndOptionNamesButNotValuesOrFileName()
    {
        TftpPacket packet = Parse(Raw(2, "Boot.BIN|NetASCII|BLKSIZE|ABC|"));
        Assert.AreEqual(TftpOpcode.WriteRequest, packet.Opcode);
        Assert.AreEqual("Boot.BIN", packet.FileName);
        Assert.AreEqual("netascii", packet.Mode);
        Assert.AreEqual("blksize", packet.OptionNames[0]);
        Assert.AreEqual("ABC", packet.Option("blksize"));
        Assert.AreEqual("mail", Parse(Raw(1, "f|MAIL|")).Mode);
    }

    [TestMethod]
    public void RejectsMalformedRequests()
    {
        string[] bad = new string[]
        {
            "|octet|", // empty file name
            "file|binary|", // unknown mode
            "file|octet", // mode not NUL-terminated
            "file", // file name not NUL-terminated
            "file|octet|blksize|", // option value missing
            "file|octet|blksize|512", // option value not NUL-terminated
        };
        for (int i = 0; i < bad.Length; i++)
        {
            byte[] packet = Raw(1, bad[i]);
            AssertThrows.ParseError(() => Parse(packet));
        }

        byte[] nonPrintable = Raw(1, "fi\tle|octet|");
        AssertThrows.ParseError(() => Parse(nonPrintable));
    }

    [TestMethod]
    public void BoundsStringLengthsAndOptionCount()
    {
        string name255 = new string('a', TftpPacket.MaximumStringLength);
        Assert.AreEqual(name255, Parse(Raw(1, name255 + "|octet|")).FileName);
        byte[] tooLong = Raw(1, name255 + "a|octet|");
        AssertThrows.ParseError(() => Parse(tooLong));

        string options = string.Empty;
        for (int i = 0; i < TftpPacket.MaximumOptions; i++)
        {
            options += "o" + i.ToString() + "|v|";
        }

        Assert.AreEqual(TftpPacket.MaximumOptions, Parse(Raw(1, "f|octet|" + options)).OptionNames.Length);
        byte[] tooMany = Raw(1, "f|octet|" + options + "x|y|");
        AssertThrows.ParseError(() => Parse(tooMany));
    }

    [TestMethod]
    public void OptionAckRoundTrips()
    {
        byte[] encoded = TftpPacketWriter.OptionAck(new string[] { "blksize", "tsize", "windowsize" }, new string[] { "1024", "123456", "8" });
        TftpPacket packet = Parse(encoded);
        Assert.AreEqual(TftpOpcode.OptionAck, packet.Opcode);
        Assert.AreEqual("1024", packet.Option("blksize"));
        Assert.AreEqual("123456", packet.Option("tsize"));
        Assert.AreEqual("8", packet.Option("windowsize"));

        TftpPacket emptyPair = Parse(new byte[] { 0, 6, 0, 0 });
        Assert.AreEqual(1, emptyPair.OptionNames.Length);
        Assert.AreEqual(string.Empty, emptyPair.OptionNames[0]);
        AssertThrows.ParseError(() => Parse(new byte[] { 0, 6, (byte)'a', 0 }));
    }

    [TestMethod]
    public void DataPointsIntoTheReceivedBuffer()
    {
        byte[] payload = Bytes.Filled(100, 5);
        byte[] packet = TftpPacketWriter.Data(0x1234, payload, 0, payload.Length);
        byte[] buffer = new byte[packet.Length + 10];
        System.Array.Copy(packet, 0, buffer, 3, packet.Length);
        TftpPacket parsed = TftpPacket.Parse(buffer, 3, packet.Length);
        Assert.AreEqual(TftpOpcode.Data, parsed.Opcode);
        Assert.AreEqual(0x1234, parsed.Block);
        Assert.IsTrue(object.ReferenceEquals(buffer, parsed.Buffer));
        Assert.AreEqual(7, parsed.DataOffset);
        Assert.AreEqual(100, parsed.DataLength);
        Assert.IsTrue(Bytes.Equal(payload, Bytes.Slice(buffer, parsed.DataOffset, parsed.DataLength)));
    }

    [TestMethod]
    public void DataMayBeEmptyButNotLongerThanTheLargestBlock()
    {
        TftpPacket empty = Parse(TftpPacketWriter.Data(65535, new byte[0], 0, 0));
        Assert.AreEqual(65535, empty.Block);
        Assert.AreEqual(0, empty.DataLength);

        byte[] largest = new byte[4 + TftpOptionNames.MaximumBlockSize];
        TftpPacketWriter.DataHeader(largest, 1);
        Assert.AreEqual(TftpOptionNames.MaximumBlockSize, Parse(largest).DataLength);
        byte[] larger = new byte[5 + TftpOptionNames.MaximumBlockSize];
        TftpPacketWriter.DataHeader(larger, 1);
        AssertThrows.ParseError(() => Parse(larger));
    }

    [TestMethod]
    public void AckBlockNumbersWrapAtSixteenBits()
    {
        Assert.AreEqual(0, Parse(TftpPacketWriter.Ack(65536)).Block);
        Assert.AreEqual(65535, Parse(TftpPacketWriter.Ack(-1)).Block);
        TftpPacket ack = Parse(TftpPacketWriter.Ack(513));
        Assert.AreEqual(TftpOpcode.Ack, ack.Opcode);
        Assert.AreEqual(513, ack.Block);
        Assert.AreEqual("00040201", Bytes.Hex(TftpPacketWriter.Ack(513)));
    }

    [TestMethod]
    public void ErrorRoundTripsAndToleratesAMissingNul()
    {
        TftpPacket error = Parse(TftpPacketWriter.Error(TftpErrorCode.FileNotFound, "no such file"));
        Assert.AreEqual(TftpOpcode.Error, error.Opcode);
        Assert.AreEqual(TftpErrorCode.FileNotFound, error.ErrorCode);
        Assert.AreEqual("no such file", error.ErrorMessage);

        TftpPacket unterminated = Parse(new byte[] { 0, 5, 0, 8, (byte)'n', (byte)'o' });
        Assert.AreEqual(TftpErrorCode.OptionRefused, unterminated.ErrorCode);
        Assert.AreEqual("no", unterminated.ErrorMessage);

        Assert.AreEqual(string.Empty, Parse(new byte[] { 0, 5, 0, 0 }).ErrorMessage);
        Assert.AreEqual("a?b", Parse(new byte[] { 0, 5, 0, 0, (byte)'a', 7, (byte)'b', 0, (byte)'c' }).ErrorMessage);

        byte[] longText = new byte[4 + 300];
        BigEndian.WriteUInt16(longText, 0, 5);
        for (int i = 4; i < longText.Length; i++)
        {
            longText[i] = (byte)'x';
        }

        Assert.AreEqual(TftpPacket.MaximumStringLength, Parse(longText).ErrorMessage.Length);
    }

    [TestMethod]
    public void AnOptionAckWithNoOptionIsTwoBytes()
    {
        TftpPacket packet = Parse(new byte[] { 0, 6 });
        Assert.AreEqual(TftpOpcode.OptionAck, packet.Opcode);
        Assert.AreEqual(0, packet.OptionNames.Length);
    }

    [TestMethod]
    public void RejectsShortPacketsUnknownOpcodesAndBadRanges()
    {
        AssertThrows.ParseError(() => Parse(new byte[] { 0, 4, 0 }));
        AssertThrows.ParseError(() => Parse(new byte[] { 0, 3 }));
        AssertThrows.ParseError(() => Parse(new byte[] { 0, 6, 0 }));
        AssertThrows.ParseError(() => Parse(new byte[] { 0 }));
        AssertThrows.ParseError(() => Parse(new byte[0]));
        AssertThrows.ParseError(() => Parse(new byte[] { 0, 0, 0, 1 }));
        AssertThrows.ParseError(() => Parse(new byte[] { 0, 7, 0, 1 }));
        AssertThrows.ParseError(() => Parse(new byte[] { 1, 4, 0, 1 }));
        AssertThrows.ParseError(() => TftpPacket.Parse(new byte[] { 0, 4, 0, 1 }, 1, 4));
        AssertThrows.ParseError(() => TftpPacket.Parse(new byte[] { 0, 4, 0, 1 }, -1, 4));
    }
}
