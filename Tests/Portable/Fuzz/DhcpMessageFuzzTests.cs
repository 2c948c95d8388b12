using System;
using Protocol.Common;
using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

[TestClass]
public class DhcpMessageFuzzTests
{
    private const uint BaseSeed = 0xD4C90000;
    private const uint ClientXid = 0x11223344;
    private static readonly byte[] Mac = new byte[] { 0x08, 0x00, 0x0F, 0x12, 0x34, 0x56 };

    private static DhcpServer NewServer()
    {
        DhcpServerConfig config = new DhcpServerConfig();
        config.ServerAddress = 0x0A000001;
        config.PoolStart = 0x0A000064;
        config.PoolEnd = 0x0A000070;
        config.SubnetMask = 0xFFFFFF00;
        config.Router = 0x0A0000FE;
        config.DnsServers = new uint[] { 0x0A000035 };
        config.PhoneConfigString = "id:ipphone.mitel.com;sw_tftp=10.37.20.11;call_srv=10.37.18.11,10.37.10.11;vlan=1056;l2p=6;dscp=46";
        return new DhcpServer(config, new InMemoryDhcpLeaseStore());
    }

    /// <summary>DISCOVER, OFFER, REQUEST, ACK of a real exchange, a NAK, and an overloaded message with a split option.</summary>
    internal static byte[][] Samples()
    {
        DhcpServer server = NewServer();
        DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(ClientXid, new int[] { 1000 }));
        client.Start(0, 0);
        byte[] discover = client.Poll(0)!.Data;
        byte[] offer = server.Handle(discover, 0, discover.Length, 0)!.Data;
        client.OnReceive(offer, 0, offer.Length, 0);
        byte[] request = client.Poll(0)!.Data;
        byte[] ack = server.Handle(request, 0, request.Length, 0)!.Data;

        DhcpMessage nak = new DhcpMessage();
        nak.Op = DhcpMessage.BootReply;
        nak.TransactionId = ClientXid;
        nak.ClientHardwareAddress = Mac;
        nak.MessageType = DhcpMessageType.Nak;
        nak.Options.SetString(DhcpOptionCode.Message, "no");

        DhcpMessage overloaded = new DhcpMessage();
        overloaded.Op = DhcpMessage.BootReply;
        overloaded.TransactionId = ClientXid;
        overloaded.ClientHardwareAddress = Mac;
        overloaded.YourAddress = 0x0A000064;
        overloaded.MessageType = DhcpMessageType.Offer;
        overloaded.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, 0x0A000001);
        overloaded.Options.SetByte(DhcpOptionCode.Overload, 3);
        overloaded.Options.Set(DhcpOptionCode.VendorSpecific, Bytes.Filled(300, 1));
        byte[] overloadedBytes = overloaded.Encode();
        Array.Copy(new byte[] { 125, 5, 0, 0, 4, 3, 0, 255 }, 0, overloadedBytes, 108, 8);
        Array.Copy(new byte[] { 43, 2, 1, 2, 255 }, 0, overloadedBytes, 44, 5);

        return new byte[][] { discover, offer, request, ack, nak.Encode(), overloadedBytes };
    }

    [TestMethod]
    public void ParseThrowsOnlyProtocolParseException()
    {
        byte[][] samples = Samples();
        string failure = string.Empty;
        int parsed = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + (uint)i;
            byte[] input = Support.Fuzz.Input(new SeededRandom(seed), samples, 600);
            try
            {
                DhcpMessage message = DhcpMessage.Parse(input, 0, input.Length);
                DhcpMessageType type = message.MessageType;
                message.Encode();
                parsed += type == DhcpMessageType.None ? 0 : 1;
            }
            catch (ProtocolParseException)
            {
            }
            catch (Exception e)
            {
                failure = Support.Fuzz.Describe(seed, input, e);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
        Assert.IsTrue(parsed > Support.Fuzz.Iterations / 10, "too few inputs parsed to reach the option code: " + parsed.ToString());
    }

    // A third each: a sample as is, with one mutation, with several (or random bytes).
    private static byte[] Fuzzed(SeededRandom random, byte[][] samples)
    {
        int kind = random.Next(3);
        byte[] sample = (byte[])samples[random.Next(samples.Length)].Clone();
        if (kind == 0)
        {
            return sample;
        }

        return kind == 1 ? Support.Fuzz.Mutate(random, sample, samples) : Support.Fuzz.Input(random, samples, 600);
    }

    /// <summary>
    /// Fuzzed client messages into the server, fuzzed offers then ACKs or NAKs into the client: nothing
    /// escapes, and enough of them get past the first checks into the server's lease decisions
    /// and the client's states (the floors below), or the test would only exercise rejections.
    /// </summary>
    [TestMethod]
    public void ServerAndClientNeverThrowOnFuzzedDatagrams()
    {
        const int Inputs = 20000;
        byte[][] samples = Samples();
        byte[][] fromClients = new byte[][] { samples[0], samples[2] };
        byte[][] offers = new byte[][] { samples[1], samples[5] };
        byte[][] answers = new byte[][] { samples[3], samples[4] };
        string failure = string.Empty;
        DhcpServer server = NewServer();
        int answered = 0;
        int clientMoved = 0;
        int bound = 0;
        for (int i = 0; i < Inputs && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + 0x100000 + (uint)i;
            SeededRandom random = new SeededRandom(seed);
            byte[] request = Fuzzed(random, fromClients);
            byte[] first = Fuzzed(random, offers);
            byte[] second = Fuzzed(random, answers);
            try
            {
                answered += server.Handle(request, 0, request.Length, i) != null ? 1 : 0;
                DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(ClientXid, new int[] { 1000 }));
                client.Start(0, 0);
                client.Poll(0);
                client.OnReceive(first, 0, first.Length, 0);
                clientMoved += client.State != DhcpClientState.Selecting ? 1 : 0;
                client.Poll(0);
                client.OnReceive(second, 0, second.Length, 0);
                client.Poll(0);
                bound += client.State == DhcpClientState.Bound ? 1 : 0;
                while (client.PollEvent() != null)
                {
                }
            }
            catch (Exception e)
            {
                failure = Support.Fuzz.Describe(seed, Bytes.Concat(request, Bytes.Concat(first, second)), e);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
        string reached = "of " + Inputs.ToString() + " inputs: " + answered.ToString() + " answered by the server, "
            + clientMoved.ToString() + " moved the client on from Selecting, " + bound.ToString() + " bound it";
        Assert.IsTrue(answered > Inputs / 4, "too few reach the server's lease decisions: " + reached);
        Assert.IsTrue(clientMoved > Inputs / 10, "too few reach the client's states: " + reached);
        Assert.IsTrue(bound > Inputs / 40, "too few fuzzed exchanges get as far as Bound: " + reached);
    }
}
