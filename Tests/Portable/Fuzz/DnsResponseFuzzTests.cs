using System;
using Protocol.Common;
using Protocol.Dns;
using Tests.Portable.Dns;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

[TestClass]
public class DnsResponseFuzzTests
{
    private const uint BaseSeed = 0xD45E0000;

    [TestMethod]
    public void ParseThrowsOnlyProtocolParseException()
    {
        byte[][] samples = new byte[][] { DnsCodecTests.Answer(), DnsCodecTests.Query, DnsQuery.Encode(7, "pbx.example.com") };
        string failure = string.Empty;
        int parsed = 0;
        int withAddress = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + (uint)i;
            byte[] input = Support.Fuzz.Input(new SeededRandom(seed), samples, 300);
            try
            {
                DnsResponse response = DnsResponse.Parse(input, 0, input.Length);
                parsed++;
                withAddress += response.Addresses.Length > 0 ? 1 : 0;
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
        Assert.IsTrue(withAddress > Support.Fuzz.Iterations / 100, "too few inputs parsed as far as an address: " + withAddress.ToString());
    }
}
