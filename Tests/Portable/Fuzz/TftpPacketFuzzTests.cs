using System;
using Protocol.Common;
using Protocol.Tftp;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

[TestClass]
public class TftpPacketFuzzTests
{
    private const uint BaseSeed = 0x7F7B0000;

    private static byte[][] Samples()
    {
        return new byte[][]
        {
            TftpPacketWriter.Request(TftpOpcode.ReadRequest, "6930/boot.bin", "octet", new string[] { "blksize", "tsize", "windowsize", "timeout" }, new string[] { "1428", "0", "8", "3" }),
            TftpPacketWriter.Request(TftpOpcode.WriteRequest, "f", "netascii", new string[0], new string[0]),
            TftpPacketWriter.OptionAck(new string[] { "blksize", "tsize", "windowsize" }, new string[] { "1024", "5000", "4" }),
            TftpPacketWriter.Data(1, Bytes.Filled(100, 1), 0, 100),
            TftpPacketWriter.Data(2, new byte[0], 0, 0),
            TftpPacketWriter.Ack(1),
            TftpPacketWriter.Error(TftpErrorCode.OptionRefused, "refused"),
        };
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
            byte[] input = Support.Fuzz.Input(new SeededRandom(seed), samples, 200);
            try
            {
                TftpPacket packet = TftpPacket.Parse(input, 0, input.Length);
                parsed++;
                Assert.IsTrue(packet.DataOffset + packet.DataLength <= input.Length || packet.Opcode != TftpOpcode.Data, "seed " + seed.ToString());
                Assert.AreEqual(packet.OptionNames.Length, packet.OptionValues.Length);
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
        Assert.IsTrue(parsed > Support.Fuzz.Iterations / 10, "too few inputs parsed: " + parsed.ToString());
    }

    [TestMethod]
    public void ClientAndSessionNeverThrowOnFuzzedDatagrams()
    {
        byte[][] samples = Samples();
        string failure = string.Empty;
        for (int i = 0; i < 20000 && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + 0x100000 + (uint)i;
            SeededRandom random = new SeededRandom(seed);
            byte[] first = Support.Fuzz.Input(random, samples, 200);
            byte[] second = Support.Fuzz.Input(random, samples, 200);
            try
            {
                TftpReadOptions options = new TftpReadOptions();
                options.BlockSize = 1024;
                options.WindowSize = 4;
                TftpReadClient client = new TftpReadClient("f", options, new MemorySink());
                client.Start(0);
                client.Poll(0);
                client.OnReceive(first, 0, first.Length, 1000, 1);
                client.OnReceive(second, 0, second.Length, 1000 + random.Next(2), 2);
                while (client.Poll(3) != null)
                {
                }

                TftpPacket request;
                try
                {
                    request = TftpPacket.Parse(first, 0, first.Length);
                }
                catch (ProtocolParseException)
                {
                    continue;
                }

                if (request.Opcode == TftpOpcode.ReadRequest)
                {
                    TftpReadSession session = new TftpReadSession(request, new MemoryFileSource(Bytes.Filled(3000, 2)), new TftpSessionLimits());
                    session.Start(0);
                    while (session.Poll(0) != null)
                    {
                    }

                    session.OnReceive(second, 0, second.Length, 1);
                    while (session.Poll(5000) != null)
                    {
                    }
                }
            }
            catch (Exception e)
            {
                failure = Support.Fuzz.Describe(seed, Bytes.Concat(first, second), e);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
    }
}
