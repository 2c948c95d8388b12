using System;
using Protocol.Common;
using Protocol.Sip;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

[TestClass]
public class SipConfigFileFuzzTests
{
    private const uint BaseSeed = 0x51B00000;

    private static readonly byte[][] Samples = new byte[][]
    {
        Ascii.GetBytes("# startup.cfg\r\nsip registrar ip: 10.0.0.1\r\nsip registrar port: 5070\r\nsip transport protocol: 2\r\n!sip line1 user name: 1001\r\n^sip proxy ip\r\n"),
        Ascii.GetBytes("sip line1 password: 1234\nsip line1 display name: Front Desk: A\nsip line1 registration period: 600\ndownload protocol: TFTP\nsip proxy port: 99999\n"),
    };

    [TestMethod]
    public void ParseIsNeverFatal()
    {
        string failure = string.Empty;
        int keys = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + (uint)i;
            byte[] input = Support.Fuzz.Input(new SeededRandom(seed), Samples, 400);
            try
            {
                // No exception at all is allowed here: a bad line is skipped and counted.
                SipConfigFile file = SipConfigFile.Parse(input, 0, input.Length);
                SipConfigFile merged = SipConfigFile.Parse(Samples[0], 0, Samples[0].Length);
                merged.Apply(file);
                SipPhoneSettings settings = SipPhoneSettings.From(merged);
                keys += file.Count;
                Assert.IsTrue(file.Count <= SipConfigFile.MaxKeys, "seed " + seed.ToString());
                Assert.IsTrue(settings.RegistrarPort >= 1 && settings.RegistrarPort <= 65535, "seed " + seed.ToString());
                Assert.IsTrue(settings.RegistrationPeriod > 0, "seed " + seed.ToString());
            }
            catch (Exception e)
            {
                failure = Support.Fuzz.Describe(seed, input, e);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
        Assert.IsTrue(keys > 1000, "too few keys read: " + keys.ToString());
    }
}
