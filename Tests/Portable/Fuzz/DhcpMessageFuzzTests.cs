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

    [TestMethod]
    public void ServerAndClientNeverThrowOnFuzzedDatagrams()
    {
        byte[][] samples = Samples();
        string failure = string.Empty;
        DhcpServer server = NewServer();
        int bound = 0;
        for (int i = 0; i < 20000 && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + 0x100000 + (uint)i;
            SeededRandom random = new SeededRandom(seed);
            byte[] input = Support.Fuzz.Input(random, samples, 600);
            byte[] second = Support.Fuzz.Input(random, samples, 600);
            try
            {
                server.Handle(input, 0, input.Length, i);
                DhcpClient client = new DhcpClient(Mac, new ScriptedRandom(ClientXid, new int[] { 1000 }));
                client.Start(0, 0);
                client.Poll(0);
                client.OnReceive(input, 0, input.Length, 0);
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
                failure = Support.Fuzz.Describe(seed, Bytes.Concat(input, second), e);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
        Assert.IsTrue(bound > 0, "no fuzzed exchange got as far as Bound");
    }
}
