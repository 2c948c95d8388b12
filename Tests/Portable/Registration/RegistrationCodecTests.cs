using Protocol.Common;
using Protocol.Registration;
using Tests.Portable.Support;

namespace Tests.Portable.Registration;

[TestClass]
public class RegistrationCodecTests
{
    private static readonly byte[] Mac = new byte[] { 0x08, 0x00, 0x0F, 0xAA, 0xBB, 0xCC };

    private static RegistrationMessage RoundTrip(RegistrationMessage message)
    {
        byte[] frame = RegistrationCodec.Encode(message);
        Assert.AreEqual(RegistrationCodec.Version, (int)frame[0]);
        Assert.AreEqual((int)message.Type, (int)frame[1]);
        Assert.AreEqual(frame.Length - RegistrationCodec.HeaderLength, (int)BigEndian.ReadUInt16(frame, 2));
        RegistrationFrameReader reader = new RegistrationFrameReader();
        reader.Append(frame, 0, frame.Length);
        RegistrationMessage? decoded = reader.TryRead();
        Assert.IsNotNull(decoded);
        Assert.AreEqual(0, reader.Buffered);
        Assert.IsNull(reader.TryRead());
        Assert.AreEqual(message.Type, decoded!.Type);
        return decoded;
    }

    private static byte[] Frame(int version, int type, byte[] body)
    {
        byte[] frame = new byte[RegistrationCodec.HeaderLength + body.Length];
        frame[0] = (byte)version;
        frame[1] = (byte)type;
        BigEndian.WriteUInt16(frame, 2, body.Length);
        System.Array.Copy(body, 0, frame, RegistrationCodec.HeaderLength, body.Length);
        return frame;
    }

    private static RegistrationMessage? Read(byte[] frame)
    {
        RegistrationFrameReader reader = new RegistrationFrameReader();
        reader.Append(frame, 0, frame.Length);
        return reader.TryRead();
    }

    [TestMethod]
    public void RegisterRoundTripsWithAndWithoutPin()
    {
        RegistrationMessage decoded = RoundTrip(RegistrationMessage.Register(Mac, 6930, "6.3.0.1020", "***1000"));
        Assert.IsTrue(Bytes.Equal(Mac, decoded.Mac!));
        Assert.AreEqual(6930, decoded.SetType);
        Assert.AreEqual("6.3.0.1020", decoded.FirmwareVersion);
        Assert.AreEqual("***1000", decoded.Pin);

        decoded = RoundTrip(RegistrationMessage.Register(Mac, 65535, "1", null));
        Assert.IsNull(decoded.Pin);
        Assert.AreEqual(65535, decoded.SetType);

        // An empty PIN is not the same as none.
        Assert.AreEqual(string.Empty, RoundTrip(RegistrationMessage.Register(Mac, 1, "1", string.Empty)).Pin);
    }

    [TestMethod]
    public void PinRequestAndClearPinCarryTheReason()
    {
        Assert.AreEqual(PinRequestReason.WrongPin, RoundTrip(RegistrationMessage.PinRequest(PinRequestReason.WrongPin)).Reason);
        Assert.AreEqual(PinRequestReason.UnknownDn, RoundTrip(RegistrationMessage.PinRequest(PinRequestReason.UnknownDn)).Reason);
        Assert.AreEqual(PinRequestReason.None, RoundTrip(RegistrationMessage.PinRequest(PinRequestReason.None)).Reason);
        Assert.AreEqual(PinRequestReason.MacDeleted, RoundTrip(RegistrationMessage.ClearPin(PinRequestReason.MacDeleted)).Reason);
    }

    [TestMethod]
    public void PinEntryRoundTrips()
    {
        Assert.AreEqual("###2001", RoundTrip(RegistrationMessage.PinEntry("###2001")).Pin);
    }

    [TestMethod]
    public void RegisteredAndRedirectRoundTrip()
    {
        RegistrationMessage registered = RoundTrip(RegistrationMessage.Registered("1000", "Front Desk", true));
        Assert.AreEqual("1000", registered.Dn);
        Assert.AreEqual("Front Desk", registered.DisplayName);
        Assert.IsTrue(registered.SavePin);
        Assert.IsFalse(RoundTrip(RegistrationMessage.Registered("1000", "x", false)).SavePin);

        RegistrationMessage redirect = RoundTrip(RegistrationMessage.Redirect("pbx2.example.com", 6800, true));
        Assert.AreEqual("pbx2.example.com", redirect.Host);
        Assert.AreEqual(6800, redirect.Port);
        Assert.IsTrue(redirect.SavePin);
    }

    [TestMethod]
    public void ResetDisplayTextKeyEventAndErrorRoundTrip()
    {
        Assert.AreEqual("factory", RoundTrip(RegistrationMessage.Reset("factory")).Text);
        Assert.AreEqual(string.Empty, RoundTrip(RegistrationMessage.Reset(string.Empty)).Text);

        RegistrationMessage display = RoundTrip(RegistrationMessage.DisplayText(0, "Enter PIN:"));
        Assert.AreEqual(0, display.Row);
        Assert.AreEqual("Enter PIN:", display.Text);
        Assert.AreEqual(255, RoundTrip(RegistrationMessage.DisplayText(255, "x")).Row);

        Assert.AreEqual('#', RoundTrip(RegistrationMessage.KeyEvent('#')).Key);
        Assert.AreEqual('7', RoundTrip(RegistrationMessage.KeyEvent('7')).Key);
        Assert.AreEqual("bad frame", RoundTrip(RegistrationMessage.Error("bad frame")).Text);
    }

    [TestMethod]
    public void KeepalivesCarryTheirSequenceEvenWhenZero()
    {
        Assert.AreEqual(0u, RoundTrip(RegistrationMessage.Keepalive(0)).Sequence);
        Assert.AreEqual(0xFFFFFFFFu, RoundTrip(RegistrationMessage.Keepalive(0xFFFFFFFF)).Sequence);
        Assert.AreEqual(12345u, RoundTrip(RegistrationMessage.KeepaliveAck(12345)).Sequence);
        byte[] frame = RegistrationCodec.Encode(RegistrationMessage.Keepalive(0));
        Assert.AreEqual("010a0006" + "0e0400000000", Bytes.Hex(frame));
    }

    [TestMethod]
    public void SkipsUnknownTags()
    {
        byte[] body = new byte[] { 200, 3, 1, 2, 3, RegistrationFieldTag.Dn, 2, (byte)'4', (byte)'2', 99, 0 };
        RegistrationMessage message = Read(Frame(1, (int)RegistrationMessageType.Registered, body))!;
        Assert.AreEqual("42", message.Dn);
    }

    [TestMethod]
    public void ReturnsAnUnknownTypeAsItsNumber()
    {
        RegistrationMessage message = Read(Frame(1, 99, new byte[] { RegistrationFieldTag.Text, 1, (byte)'z' }))!;
        Assert.AreEqual(99, (int)message.Type);
        Assert.AreEqual("z", message.Text);
        Assert.AreEqual(0, (int)Read(Frame(1, 0, new byte[0]))!.Type);
    }

    [TestMethod]
    public void RejectsAnotherVersion()
    {
        byte[] frame = RegistrationCodec.Encode(RegistrationMessage.Keepalive(1));
        frame[0] = 2;
        AssertThrows.ParseError(() => Read(frame));
        frame[0] = 0;
        AssertThrows.ParseError(() => Read(frame));

        // The version is checked as soon as the header is in, before the body.
        RegistrationFrameReader reader = new RegistrationFrameReader();
        reader.Append(new byte[] { 2, 10, 0, 100 }, 0, 4);
        AssertThrows.ParseError(() => reader.TryRead());
    }

    [TestMethod]
    public void RejectsABodyLongerThanTheMaximum()
    {
        RegistrationFrameReader reader = new RegistrationFrameReader();
        reader.Append(new byte[] { 1, 10, 0x04, 0x01 }, 0, 4); // 1025
        AssertThrows.ParseError(() => reader.TryRead());

        byte[] body = new byte[RegistrationCodec.MaximumBodyLength];
        for (int i = 0; i < body.Length; i += 4)
        {
            body[i] = 200; // unknown tag, length 2
            body[i + 1] = 2;
        }

        Assert.IsNotNull(Read(Frame(1, 12, body)));
    }

    [TestMethod]
    public void EncodeRefusesWhatCannotBeFramed()
    {
        AssertThrows.Any(() => RegistrationCodec.Encode(RegistrationMessage.Register(new byte[] { 1, 2, 3 }, 1, "1", null)));
        AssertThrows.Any(() => RegistrationCodec.Encode(RegistrationMessage.Error(new string('x', 256))));
        Assert.AreEqual(4 + 2 + 255, RegistrationCodec.Encode(RegistrationMessage.Error(new string('x', 255))).Length);
    }

    [TestMethod]
    public void RejectsMalformedFields()
    {
        byte[][] bodies = new byte[][]
        {
            new byte[] { RegistrationFieldTag.Mac, 5, 1, 2, 3, 4, 5 },
            new byte[] { RegistrationFieldTag.SetType, 1, 1 },
            new byte[] { RegistrationFieldTag.Reason, 2, 1, 1 },
            new byte[] { RegistrationFieldTag.Sequence, 3, 1, 1, 1 },
            new byte[] { RegistrationFieldTag.Port, 4, 1, 1, 1, 1 },
            new byte[] { RegistrationFieldTag.Row, 0 },
            new byte[] { RegistrationFieldTag.Key, 2, 1, 2 },
            new byte[] { RegistrationFieldTag.SavePin, 0 },
            new byte[] { RegistrationFieldTag.Text, 3, (byte)'a', 0x0A, (byte)'b' },
            new byte[] { RegistrationFieldTag.Dn, 5, (byte)'1' },
            new byte[] { RegistrationFieldTag.Dn },
        };
        for (int i = 0; i < bodies.Length; i++)
        {
            byte[] frame = Frame(1, 1, bodies[i]);
            AssertThrows.ParseError(() => Read(frame));
        }
    }

    [TestMethod]
    public void AFrameSplitIntoSingleBytesArrivesWhole()
    {
        byte[] frame = RegistrationCodec.Encode(RegistrationMessage.Register(Mac, 6930, "6.3.0.1020", "***1000"));
        RegistrationFrameReader reader = new RegistrationFrameReader();
        for (int i = 0; i < frame.Length - 1; i++)
        {
            reader.Append(frame, i, 1);
            Assert.IsNull(reader.TryRead(), "complete after " + (i + 1).ToString() + " bytes");
            Assert.AreEqual(i + 1, reader.Buffered);
        }

        reader.Append(frame, frame.Length - 1, 1);
        RegistrationMessage message = reader.TryRead()!;
        Assert.AreEqual("***1000", message.Pin);
        Assert.AreEqual(0, reader.Buffered);
    }

    [TestMethod]
    public void TwoFramesInOneAppendAreReadInTurn()
    {
        byte[] first = RegistrationCodec.Encode(RegistrationMessage.Keepalive(7));
        byte[] second = RegistrationCodec.Encode(RegistrationMessage.DisplayText(2, "hello"));
        byte[] third = RegistrationCodec.Encode(RegistrationMessage.PinEntry("***1"));
        byte[] both = Bytes.Concat(Bytes.Concat(first, second), Bytes.Slice(third, 0, 3));
        RegistrationFrameReader reader = new RegistrationFrameReader();
        reader.Append(both, 0, both.Length);
        Assert.AreEqual(7u, reader.TryRead()!.Sequence);
        Assert.AreEqual("hello", reader.TryRead()!.Text);
        Assert.IsNull(reader.TryRead());
        Assert.AreEqual(3, reader.Buffered);
        reader.Append(third, 3, third.Length - 3);
        Assert.AreEqual("***1", reader.TryRead()!.Pin);
        Assert.AreEqual(0, reader.Buffered);
    }

    [TestMethod]
    public void RefusesToBufferMoreThanItsCapacity()
    {
        RegistrationFrameReader reader = new RegistrationFrameReader();
        byte[] chunk = new byte[RegistrationFrameReader.Capacity];
        chunk[0] = 1;
        reader.Append(chunk, 0, chunk.Length);
        AssertThrows.ParseError(() => reader.Append(new byte[1], 0, 1));
        AssertThrows.ParseError(() => new RegistrationFrameReader().Append(new byte[4], 2, 3));
        AssertThrows.ParseError(() => new RegistrationFrameReader().Append(new byte[4], 0, -1));
    }
}
