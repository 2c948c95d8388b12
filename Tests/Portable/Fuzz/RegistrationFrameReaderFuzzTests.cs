using System;
using Protocol.Common;
using Protocol.Registration;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

[TestClass]
public class RegistrationFrameReaderFuzzTests
{
    private const uint BaseSeed = 0x4E610000;

    private static byte[][] Samples()
    {
        byte[] mac = new byte[] { 8, 0, 15, 1, 2, 3 };
        RegistrationMessage[] messages = new RegistrationMessage[]
        {
            RegistrationMessage.Register(mac, 6930, "6.3.0.1020", "***1000"),
            RegistrationMessage.Register(mac, 6930, "6.3.0.1020", null),
            RegistrationMessage.PinRequest(PinRequestReason.WrongPin),
            RegistrationMessage.PinEntry("###2001"),
            RegistrationMessage.Registered("1000", "Front Desk", true),
            RegistrationMessage.Redirect("pbx2.example.com", 6800, true),
            RegistrationMessage.ClearPin(PinRequestReason.DnDeleted),
            RegistrationMessage.Reset("factory"),
            RegistrationMessage.DisplayText(1, "Enter PIN:"),
            RegistrationMessage.KeyEvent('#'),
            RegistrationMessage.Keepalive(7),
            RegistrationMessage.KeepaliveAck(7),
            RegistrationMessage.Error("bad"),
        };
        byte[][] samples = new byte[messages.Length + 1][];
        for (int i = 0; i < messages.Length; i++)
        {
            samples[i] = RegistrationCodec.Encode(messages[i]);
        }

        samples[messages.Length] = Bytes.Concat(samples[0], samples[10]);
        return samples;
    }

    [TestMethod]
    public void AppendAndTryReadThrowOnlyProtocolParseException()
    {
        byte[][] samples = Samples();
        string failure = string.Empty;
        int frames = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + (uint)i;
            SeededRandom random = new SeededRandom(seed);
            byte[] input = Support.Fuzz.Input(random, samples, 300);
            RegistrationFrameReader reader = new RegistrationFrameReader();
            try
            {
                // Fed in random pieces, reading after each as a connection would.
                int at = 0;
                while (at < input.Length)
                {
                    int count = 1 + random.Next(input.Length - at);
                    reader.Append(input, at, count);
                    at += count;
                    RegistrationMessage? message = reader.TryRead();
                    while (message != null)
                    {
                        frames++;
                        message = reader.TryRead();
                    }
                }

                Assert.IsTrue(reader.Buffered < RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength, "seed " + seed.ToString());
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
        Assert.IsTrue(frames > Support.Fuzz.Iterations / 20, "too few frames decoded: " + frames.ToString());
    }
}
