using Protocol.Common;
using Protocol.Tftp;
using Tests.Portable.Support;

namespace Tests.Portable.Tftp;

/// <summary>
/// The server session answering a client that repeats its request: at once while its first
/// answer is unacknowledged (a client whose timer is shorter than ours), never once the client
/// has acknowledged something.
/// </summary>
[TestClass]
public class TftpReadSessionTests
{
    private static TftpReadSession Session(bool withOptions)
    {
        string[] names = withOptions ? new string[] { TftpOptionNames.BlockSize } : new string[0];
        string[] values = withOptions ? new string[] { "1024" } : new string[0];
        byte[] request = TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.img", "octet", names, values);
        TftpSessionLimits limits = new TftpSessionLimits();
        limits.RetransmitMs = 3000;
        return new TftpReadSession(TftpPacket.Parse(request, 0, request.Length), new MemoryFileSource(Bytes.Filled(5000, 3)), limits);
    }

    private static int Opcode(TftpDatagram? datagram)
    {
        Assert.IsNotNull(datagram);
        return BigEndian.ReadUInt16(datagram!.Data, 0);
    }

    private static int Block(TftpDatagram datagram)
    {
        return BigEndian.ReadUInt16(datagram.Data, 2);
    }

    private static void Ack(TftpReadSession session, int block, long now)
    {
        byte[] ack = TftpPacketWriter.Ack(block);
        session.OnReceive(ack, 0, ack.Length, now);
    }

    [TestMethod]
    public void ARepeatedRequestGetsTheOptionAckAgainAtOnce()
    {
        TftpReadSession session = Session(true);
        session.Start(0);
        Assert.AreEqual((int)TftpOpcode.OptionAck, Opcode(session.Poll(0)));
        Assert.IsNull(session.Poll(1000));

        session.OnRequestRepeated(1000);
        Assert.AreEqual((int)TftpOpcode.OptionAck, Opcode(session.Poll(1000)));
        Assert.IsNull(session.Poll(1000));
        Assert.AreEqual(0, session.Retransmissions);
        Assert.AreEqual(4000L, session.NextDeadline);
    }

    [TestMethod]
    public void ARepeatedRequestWithoutOptionsGetsTheFirstBlockAgain()
    {
        TftpReadSession session = Session(false);
        session.Start(0);
        TftpDatagram? first = session.Poll(0);
        Assert.AreEqual((int)TftpOpcode.Data, Opcode(first));
        Assert.AreEqual(1, Block(first!));
        Assert.IsNull(session.Poll(500));

        session.OnRequestRepeated(500);
        TftpDatagram? again = session.Poll(500);
        Assert.AreEqual((int)TftpOpcode.Data, Opcode(again));
        Assert.AreEqual(1, Block(again!));
        Assert.IsNull(session.Poll(500));
        Assert.AreEqual(0, session.Retransmissions);
    }

    [TestMethod]
    public void ARepeatedRequestAfterTheFirstAckIsIgnored()
    {
        TftpReadSession session = Session(true);
        session.Start(0);
        session.Poll(0);
        Ack(session, 0, 10);
        TftpDatagram? data = session.Poll(10);
        Assert.AreEqual((int)TftpOpcode.Data, Opcode(data));
        Assert.IsNull(session.Poll(10));

        session.OnRequestRepeated(20);
        Assert.IsNull(session.Poll(20));

        TftpReadSession plain = Session(false);
        plain.Start(0);
        plain.Poll(0);
        Ack(plain, 1, 10);
        Assert.AreEqual(2, Block(plain.Poll(10)!));
        Assert.IsNull(plain.Poll(10));
        plain.OnRequestRepeated(20);
        Assert.IsNull(plain.Poll(20));
    }
}
