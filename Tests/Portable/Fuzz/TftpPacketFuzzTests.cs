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

    // What a client receives: the server's first answers to a read request.
    private static byte[][] ServerAnswers()
    {
        return new byte[][]
        {
            TftpPacketWriter.OptionAck(new string[] { "blksize", "tsize", "windowsize" }, new string[] { "1024", "5000", "4" }),
            TftpPacketWriter.OptionAck(new string[] { "blksize" }, new string[] { "512" }),
            TftpPacketWriter.Data(1, Bytes.Filled(512, 1), 0, 512),
            TftpPacketWriter.Data(1, Bytes.Filled(100, 1), 0, 100),
            TftpPacketWriter.Error(TftpErrorCode.OptionRefused, "refused"),
            TftpPacketWriter.Error(TftpErrorCode.FileNotFound, "no such file"),
        };
    }

    // What a session is started with: read requests, with and without options.
    private static byte[][] ReadRequests()
    {
        return new byte[][]
        {
            TftpPacketWriter.Request(TftpOpcode.ReadRequest, "6930/boot.bin", "octet", new string[] { "blksize", "tsize", "windowsize", "timeout" }, new string[] { "1428", "0", "8", "3" }),
            TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.bin", "octet", new string[0], new string[0]),
            TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.bin", "octet", new string[] { "blksize" }, new string[] { "1468" }),
            TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.bin", "netascii", new string[] { "tsize" }, new string[] { "0" }),
        };
    }

    // What a session receives from its client once it has answered.
    private static byte[][] ClientAnswers()
    {
        return new byte[][]
        {
            TftpPacketWriter.Ack(0),
            TftpPacketWriter.Ack(1),
            TftpPacketWriter.Ack(2),
            TftpPacketWriter.Error(TftpErrorCode.NotDefined, "stop"),
        };
    }

    // Option names a server knows (and case variants), and values at and past their limits.
    private static readonly string[] OptionNames = new string[] { "blksize", "tsize", "windowsize", "timeout", "BLKSIZE", "multicast", "x" };
    private static readonly string[] OptionValues = new string[] { "0", "1", "7", "8", "64", "511", "512", "1468", "65464", "65465", "65535", "99999999999", "-1", "", "12a", "3000", "65536" };

    // A third each: a well-formed read request with fuzzed options (deep into negotiation), a
    // sample with one mutation, a sample with several (or random bytes).
    private static byte[] FuzzedRequest(SeededRandom random, byte[][] samples)
    {
        int kind = random.Next(3);
        if (kind == 0)
        {
            int count = random.Next(5);
            string[] names = new string[count];
            string[] values = new string[count];
            for (int i = 0; i < count; i++)
            {
                names[i] = OptionNames[random.Next(OptionNames.Length)];
                values[i] = OptionValues[random.Next(OptionValues.Length)];
            }

            return TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.bin", random.Next(4) == 0 ? "netascii" : "octet", names, values);
        }

        if (kind == 1)
        {
            return Support.Fuzz.Mutate(random, (byte[])samples[random.Next(samples.Length)].Clone(), samples);
        }

        return Support.Fuzz.Input(random, samples, 200);
    }

    // A third each: a well-formed answer as is, a sample with one mutation, one with several.
    private static byte[] FuzzedAnswer(SeededRandom random, byte[][] samples)
    {
        int kind = random.Next(3);
        byte[] sample = (byte[])samples[random.Next(samples.Length)].Clone();
        if (kind == 0)
        {
            return sample;
        }

        return kind == 1 ? Support.Fuzz.Mutate(random, sample, samples) : Support.Fuzz.Input(random, samples, 40);
    }

    /// <summary>
    /// Fuzzed datagrams into the client and the session: nothing escapes, and enough of them get
    /// past the first checks into the state machines (the floors below), or the test would only
    /// exercise the parser's rejections.
    /// </summary>
    [TestMethod]
    public void ClientAndSessionNeverThrowOnFuzzedDatagrams()
    {
        const int Inputs = 20000;
        byte[][] serverAnswers = ServerAnswers();
        byte[][] requests = ReadRequests();
        byte[][] clientAnswers = ClientAnswers();
        string failure = string.Empty;
        int clientMoved = 0;
        int sessions = 0;
        int sessionsSending = 0;
        int sessionsMoved = 0;
        for (int i = 0; i < Inputs && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + 0x100000 + (uint)i;
            SeededRandom random = new SeededRandom(seed);
            byte[] first = Support.Fuzz.Input(random, serverAnswers, 200);
            byte[] second = Support.Fuzz.Input(random, serverAnswers, 200);
            byte[] request = FuzzedRequest(random, requests);
            byte[] answer = FuzzedAnswer(random, clientAnswers);
            try
            {
                TftpReadOptions options = new TftpReadOptions();
                options.BlockSize = 1024;
                options.WindowSize = 4;
                TftpReadClient client = new TftpReadClient("f", options, new MemorySink());
                client.Start(0);
                client.Poll(0);
                // Received and answered at once, before any retransmission timer could fire.
                client.OnReceive(first, 0, first.Length, 10, 1);
                bool moved = client.State != TftpTransferState.Negotiating;
                while (client.Poll(10) != null)
                {
                    moved = true; // it answered (ACK, ERROR or a plain re-request)
                }

                if (moved)
                {
                    clientMoved++;
                }

                client.OnReceive(second, 0, second.Length, 1000 + random.Next(2), 2);
                while (client.Poll(3) != null)
                {
                }

                TftpPacket parsed;
                try
                {
                    parsed = TftpPacket.Parse(request, 0, request.Length);
                }
                catch (ProtocolParseException)
                {
                    continue;
                }

                if (parsed.Opcode == TftpOpcode.ReadRequest)
                {
                    sessions++;
                    TftpReadSession session = new TftpReadSession(parsed, new MemoryFileSource(Bytes.Filled(3000, 2)), new TftpSessionLimits());
                    session.Start(0);
                    bool answered = false;
                    while (session.Poll(0) != null)
                    {
                        answered = true;
                    }

                    if (answered && session.State != TftpTransferState.Failed)
                    {
                        sessionsSending++; // an OACK or the first block went out
                    }

                    long sent = session.BytesSent;
                    TftpTransferState before = session.State;
                    session.OnReceive(answer, 0, answer.Length, 1);
                    while (session.Poll(1) != null)
                    {
                    }

                    if (session.State != before || session.BytesSent != sent)
                    {
                        sessionsMoved++;
                    }

                    while (session.Poll(5000) != null)
                    {
                    }
                }
            }
            catch (Exception e)
            {
                failure = Support.Fuzz.Describe(seed, Bytes.Concat(Bytes.Concat(first, second), Bytes.Concat(request, answer)), e);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
        string reached = "of " + Inputs.ToString() + " inputs: " + clientMoved.ToString() + " moved the client, " + sessions.ToString()
            + " started a session, " + sessionsSending.ToString() + " sessions sent an OACK or a block, " + sessionsMoved.ToString() + " moved by the client's answer";
        Assert.IsTrue(clientMoved > Inputs / 4, "too few reach the client's state machine: " + reached);
        Assert.IsTrue(sessions > Inputs / 3, "too few reach a session: " + reached);
        Assert.IsTrue(sessionsSending > sessions / 2, "too few sessions get past the request's options: " + reached);
        Assert.IsTrue(sessionsMoved > sessionsSending / 4, "too few client answers reach the session: " + reached);
    }
}
