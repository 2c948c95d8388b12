using Protocol.Common;
using Protocol.Dns;
using Tests.Portable.Support;

namespace Tests.Portable.Dns;

[TestClass]
public class DnsResolverTests
{
    private const uint First = 0x0A000035; // 10.0.0.53
    private const uint Second = 0x0A000036;
    private const uint PbxAddress = 0x0A4D0504;

    [TestMethod]
    public void ResolvesAtTheFirstServerThatAnswers()
    {
        DnsResolver resolver = new DnsResolver(new ScriptedRandom(0x1234, new int[0]));
        resolver.Start("cs.lab.test", new uint[] { First, Second }, 0);
        Assert.AreEqual(DnsResolverState.Querying, resolver.State);
        Assert.AreEqual(long.MinValue, resolver.NextDeadline);
        DnsDatagram query = resolver.Poll(0)!;
        Assert.IsNotNull(query);
        Assert.AreEqual(First, query.Server);
        Assert.IsTrue(Bytes.Equal(DnsCodecTests.Query, query.Data), Bytes.Hex(query.Data));
        Assert.AreEqual(1000L, resolver.NextDeadline);

        byte[] answer = DnsCodecTests.Answer();
        resolver.OnReceive(answer, 0, answer.Length, First, DnsResolver.ServerPort, 10);
        Assert.AreEqual(DnsResolverState.Resolved, resolver.State);
        Assert.AreEqual(PbxAddress, resolver.Address);
        Assert.AreEqual(Deadline.None, resolver.NextDeadline);
        Assert.IsNull(resolver.Poll(5000));
    }

    [TestMethod]
    public void RetransmitsAfterEachTimeoutThenAsksTheNextServerThenFails()
    {
        DnsResolver resolver = new DnsResolver(new ScriptedRandom(0x1000, new int[0]));
        resolver.Start("cs.lab.test", new uint[] { First, Second }, 0);
        DnsDatagram first = resolver.Poll(0)!;
        Assert.IsNull(resolver.Poll(999));
        DnsDatagram again = resolver.Poll(1000)!;
        Assert.AreEqual(First, again.Server);
        Assert.IsTrue(Bytes.Equal(first.Data, again.Data), "a retransmission repeats the query, ID and all");
        Assert.AreEqual(2000L, resolver.NextDeadline);

        DnsDatagram next = resolver.Poll(2000)!;
        Assert.AreEqual(Second, next.Server);
        Assert.AreNotEqual((int)DnsAnswers.IdOf(first.Data), (int)DnsAnswers.IdOf(next.Data), "the next server gets a fresh ID");
        Assert.AreEqual(Second, resolver.Poll(3000)!.Server);
        Assert.AreEqual(DnsResolverState.Querying, resolver.State);

        Assert.IsNull(resolver.Poll(4000));
        Assert.AreEqual(DnsResolverState.Failed, resolver.State);
        Assert.AreEqual(4, resolver.QueriesSent);
        Assert.AreEqual(Deadline.None, resolver.NextDeadline);
        Assert.IsTrue(resolver.FailureReason.IndexOf("2 DNS server") >= 0, resolver.FailureReason);
    }

    [TestMethod]
    public void NoSuchNameEndsTheLookupWithoutAskingTheOtherServers()
    {
        DnsResolver resolver = new DnsResolver(new ScriptedRandom(0x2000, new int[0]));
        resolver.Start("gone.lab.test", new uint[] { First, Second }, 0);
        DnsDatagram query = resolver.Poll(0)!;
        byte[] answer = DnsAnswers.Answer(DnsAnswers.IdOf(query.Data), "gone.lab.test", 3, new uint[0]);
        resolver.OnReceive(answer, 0, answer.Length, First, DnsResolver.ServerPort, 5);
        Assert.AreEqual(DnsResolverState.Failed, resolver.State);
        Assert.IsTrue(resolver.FailureReason.IndexOf("no such name") >= 0, resolver.FailureReason);
        Assert.IsNull(resolver.Poll(10000));
        Assert.AreEqual(1, resolver.QueriesSent);
    }

    [TestMethod]
    public void AServerFailureOrAnEmptyAnswerPassesTheNameOnToTheNextServerAtOnce()
    {
        DnsResolver resolver = new DnsResolver(new ScriptedRandom(0x3000, new int[0]));
        resolver.Start("cs.lab.test", new uint[] { First, Second, First }, 0);
        byte[] failure = DnsAnswers.Answer(DnsAnswers.IdOf(resolver.Poll(0)!.Data), "cs.lab.test", 2, new uint[0]);
        resolver.OnReceive(failure, 0, failure.Length, First, DnsResolver.ServerPort, 5);
        DnsDatagram second = resolver.Poll(5)!;
        Assert.IsNotNull(second, "SERVFAIL: the next server is asked without waiting for the timeout");
        Assert.AreEqual(Second, second.Server);

        byte[] empty = DnsAnswers.Answer(DnsAnswers.IdOf(second.Data), "cs.lab.test", 0, new uint[0]);
        resolver.OnReceive(empty, 0, empty.Length, Second, DnsResolver.ServerPort, 6);
        DnsDatagram third = resolver.Poll(6)!;
        Assert.IsNotNull(third, "no A record: the next server is asked");
        Assert.AreEqual(First, third.Server);

        byte[] answer = DnsAnswers.Answer(DnsAnswers.IdOf(third.Data), "cs.lab.test", 0, new uint[] { PbxAddress, PbxAddress + 1 });
        resolver.OnReceive(answer, 0, answer.Length, First, DnsResolver.ServerPort, 7);
        Assert.AreEqual(DnsResolverState.Resolved, resolver.State);
        Assert.AreEqual(2, resolver.Addresses.Length);
        Assert.AreEqual(PbxAddress + 1, resolver.Addresses[1]);
    }

    [TestMethod]
    public void DropsWhatIsNotTheAnswerToItsQuery()
    {
        DnsResolver resolver = new DnsResolver(new ScriptedRandom(0x4000, new int[0]));
        resolver.Start("cs.lab.test", new uint[] { First }, 0);
        ushort id = DnsAnswers.IdOf(resolver.Poll(0)!.Data);
        uint[] spoofed = new uint[] { 0x01020304 };
        byte[] wrongId = DnsAnswers.Answer((ushort)(id + 1), "cs.lab.test", 0, spoofed);
        byte[] wrongName = DnsAnswers.Answer(id, "other.lab.test", 0, spoofed);
        byte[] notAResponse = DnsAnswers.Answer(id, "cs.lab.test", 0, spoofed);
        notAResponse[2] = 0x01;
        byte[] right = DnsAnswers.Answer(id, "cs.lab.test", 0, spoofed);
        byte[] garbage = new byte[] { (byte)(id >> 8), (byte)id, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 63 };

        resolver.OnReceive(wrongId, 0, wrongId.Length, First, DnsResolver.ServerPort, 1);
        resolver.OnReceive(wrongName, 0, wrongName.Length, First, DnsResolver.ServerPort, 1);
        resolver.OnReceive(notAResponse, 0, notAResponse.Length, First, DnsResolver.ServerPort, 1);
        resolver.OnReceive(right, 0, right.Length, Second, DnsResolver.ServerPort, 1);
        resolver.OnReceive(right, 0, right.Length, First, 5353, 1);
        resolver.OnReceive(garbage, 0, garbage.Length, First, DnsResolver.ServerPort, 1);
        Assert.AreEqual(DnsResolverState.Querying, resolver.State);
        Assert.AreEqual(1000L, resolver.NextDeadline, "nothing dropped moves the lookup on");

        byte[] answer = DnsAnswers.Answer(id, "cs.lab.test", 0, new uint[] { PbxAddress });
        resolver.OnReceive(answer, 0, answer.Length, First, DnsResolver.ServerPort, 2);
        Assert.AreEqual(PbxAddress, resolver.Address);
    }

    [TestMethod]
    public void TakesALateAnswerToTheFirstTransmissionAndIgnoresCase()
    {
        DnsResolver resolver = new DnsResolver(new ScriptedRandom(0x5000, new int[0]));
        resolver.Start("CS.Lab.Test.", new uint[] { First }, 0);
        ushort id = DnsAnswers.IdOf(resolver.Poll(0)!.Data);
        Assert.IsNotNull(resolver.Poll(1000));
        byte[] answer = DnsAnswers.Answer(id, "cs.lab.test", 0, new uint[] { PbxAddress });
        resolver.OnReceive(answer, 0, answer.Length, First, DnsResolver.ServerPort, 1500);
        Assert.AreEqual(DnsResolverState.Resolved, resolver.State);
        Assert.AreEqual(PbxAddress, resolver.Address);
    }

    [TestMethod]
    public void FailsAtOnceWithoutAHostNameOrAServer()
    {
        DnsResolver resolver = new DnsResolver(new ScriptedRandom(1, new int[0]));
        resolver.Start("not a name", new uint[] { First }, 0);
        Assert.AreEqual(DnsResolverState.Failed, resolver.State);
        Assert.IsNull(resolver.Poll(0));
        Assert.IsTrue(resolver.FailureReason.IndexOf("not a host name") >= 0, resolver.FailureReason);

        resolver.Start("cs.lab.test", new uint[0], 0);
        Assert.AreEqual(DnsResolverState.Failed, resolver.State);
        Assert.IsNull(resolver.Poll(0));
        Assert.AreEqual("no DNS server", resolver.FailureReason);
    }

    [TestMethod]
    public void ACancelledLookupSendsNothingMoreAndIgnoresItsAnswer()
    {
        DnsResolver resolver = new DnsResolver(new ScriptedRandom(0x6000, new int[0]));
        resolver.Start("cs.lab.test", new uint[] { First }, 0);
        ushort id = DnsAnswers.IdOf(resolver.Poll(0)!.Data);
        resolver.Cancel(10);
        Assert.AreEqual(DnsResolverState.Idle, resolver.State);
        Assert.AreEqual(Deadline.None, resolver.NextDeadline);
        Assert.IsNull(resolver.Poll(5000));
        byte[] answer = DnsAnswers.Answer(id, "cs.lab.test", 0, new uint[] { PbxAddress });
        resolver.OnReceive(answer, 0, answer.Length, First, DnsResolver.ServerPort, 20);
        Assert.AreEqual(DnsResolverState.Idle, resolver.State);
        Assert.AreEqual(0u, resolver.Address);
    }

    [TestMethod]
    public void HonoursItsAttemptsAndTimeout()
    {
        DnsResolver resolver = new DnsResolver(new ScriptedRandom(1, new int[0]), 3, 250);
        resolver.Start("cs.lab.test", new uint[] { First }, 100);
        Assert.IsNotNull(resolver.Poll(100));
        Assert.IsNotNull(resolver.Poll(350));
        Assert.IsNotNull(resolver.Poll(600));
        Assert.IsNull(resolver.Poll(850));
        Assert.AreEqual(DnsResolverState.Failed, resolver.State);
        Assert.AreEqual(3, resolver.QueriesSent);
    }
}
