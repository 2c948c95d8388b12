using PhoneFirmware.Core.Boot;
using Protocol.Common;
using Protocol.Dns;
using Tests.Portable.Dns;
using Tests.Portable.Support;

namespace Tests.Portable.Boot;

[TestClass]
public class HostLookupTests
{
    private const uint DnsServer = 0x0A000035;
    private const uint PbxAddress = 0x0A4D0504;

    [TestMethod]
    public void ADottedQuadResolvesAtOnceWithoutAQuery()
    {
        ScriptedNetwork network = new ScriptedNetwork();
        HostLookup lookup = new HostLookup(network, new ScriptedRandom(1, new int[0]));
        lookup.Start("10.77.5.4", new uint[] { DnsServer }, 0);
        Assert.AreEqual(HostLookupState.Resolved, lookup.State);
        Assert.AreEqual(PbxAddress, lookup.Address);
        Assert.AreEqual(0, network.SocketCount);
        Assert.AreEqual(Deadline.None, lookup.Step(0));
    }

    [TestMethod]
    public void AsksTheLeaseDnsServerOnASocketOfItsOwnAndClosesItWhenAnswered()
    {
        ScriptedNetwork network = new ScriptedNetwork();
        HostLookup lookup = new HostLookup(network, new ScriptedRandom(0x1234, new int[0]));
        lookup.Start("cs.lab.test", new uint[] { DnsServer }, 0);
        Assert.AreEqual(HostLookupState.Resolving, lookup.State);
        Assert.AreEqual(1, network.SocketCount);
        ScriptedDatagramSocket socket = network.Socket(0);
        Assert.AreEqual(1, socket.SentCount, "the query goes out at Start");
        Assert.AreEqual(DnsServer, socket.Sent(0).Address);
        Assert.AreEqual(DnsResolver.ServerPort, socket.Sent(0).Port);
        Assert.IsTrue(Bytes.Equal(DnsCodecTests.Query, socket.Sent(0).Data));
        Assert.AreEqual(1000L, lookup.Step(10), "nothing arrived: the retransmit time is the next deadline");

        socket.Arrive(DnsCodecTests.Answer(), DnsServer, DnsResolver.ServerPort);
        Assert.AreEqual(Deadline.None, lookup.Step(20));
        Assert.AreEqual(HostLookupState.Resolved, lookup.State);
        Assert.AreEqual(PbxAddress, lookup.Address);
        Assert.IsTrue(socket.IsClosed);
    }

    [TestMethod]
    public void FailsWhenEveryServerStaysSilent()
    {
        ScriptedNetwork network = new ScriptedNetwork();
        HostLookup lookup = new HostLookup(network, new ScriptedRandom(1, new int[0]));
        lookup.Start("cs.lab.test", new uint[] { DnsServer, DnsServer + 1 }, 0);
        long now = 0;
        long next = lookup.Step(now);
        int steps = 0;
        while (next != Deadline.None && steps++ < 10)
        {
            now = next;
            next = lookup.Step(now);
        }

        Assert.AreEqual(HostLookupState.Failed, lookup.State);
        Assert.AreEqual(4000L, now, "two servers, two attempts each, one second apiece: it fails at the last timeout");
        Assert.AreEqual(4, network.Socket(0).SentCount);
        Assert.AreEqual(0u, lookup.Address);
        Assert.IsTrue(lookup.FailureReason.Length > 0);
        Assert.IsTrue(network.Socket(0).IsClosed);
    }

    [TestMethod]
    public void CancelFreesTheSocketAndAStartAfterItLooksUpAgain()
    {
        ScriptedNetwork network = new ScriptedNetwork();
        HostLookup lookup = new HostLookup(network, new ScriptedRandom(0x1234, new int[0]));
        lookup.Start("cs.lab.test", new uint[] { DnsServer }, 0);
        lookup.Cancel();
        Assert.AreEqual(HostLookupState.Idle, lookup.State);
        Assert.IsTrue(network.Socket(0).IsClosed);
        Assert.AreEqual(Deadline.None, lookup.Step(5000));
        Assert.AreEqual(1, network.Socket(0).SentCount);

        lookup.Start("cs.lab.test", new uint[0], 6000);
        Assert.AreEqual(HostLookupState.Failed, lookup.State);
        Assert.AreEqual("no DNS server", lookup.FailureReason);
    }
}
