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
    private const uint First = 0x0A000035;
    private const uint Second = 0x0A000036;

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

    // A third each: an answer as is, with one mutation, with several (or random bytes).
    private static byte[] Fuzzed(SeededRandom random, byte[][] samples)
    {
        int kind = random.Next(3);
        byte[] sample = (byte[])samples[random.Next(samples.Length)].Clone();
        if (kind == 0)
        {
            return sample;
        }

        return kind == 1 ? Support.Fuzz.Mutate(random, sample, samples) : Support.Fuzz.Input(random, samples, 300);
    }

    /// <summary>
    /// Fuzzed answers into a resolver waiting for cs.lab.test: nothing escapes, and enough of them
    /// get past the parser and the ID and question checks into the resolver's decisions (the
    /// floors below: resolved, no such name, next server), or the test would only exercise rejections.
    /// </summary>
    [TestMethod]
    public void ResolverNeverThrowsOnFuzzedAnswers()
    {
        const int Inputs = 20000;
        byte[][] samples = new byte[][]
        {
            DnsCodecTests.Answer(),
            DnsAnswers.Answer(0x1234, "cs.lab.test", 0, new uint[] { 0x0A4D0504, 0x0A4D0505 }),
            DnsAnswers.Answer(0x1234, "cs.lab.test", 3, new uint[0]),
            DnsAnswers.Answer(0x1234, "cs.lab.test", 2, new uint[0]),
            DnsAnswers.Answer(0x1234, "cs.lab.test", 0, new uint[0]),
        };
        string failure = string.Empty;
        int parsed = 0;
        int decided = 0;
        int resolved = 0;
        for (int i = 0; i < Inputs && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + 0x100000 + (uint)i;
            byte[] input = Fuzzed(new SeededRandom(seed), samples);
            try
            {
                DnsResolver resolver = new DnsResolver(new ScriptedRandom(0x1234, new int[0]));
                resolver.Start("cs.lab.test", new uint[] { First, Second }, 0);
                resolver.Poll(0);
                resolver.OnReceive(input, 0, input.Length, First, DnsResolver.ServerPort, 10);
                decided += resolver.State != DnsResolverState.Querying || resolver.Server != First ? 1 : 0;
                resolved += resolver.State == DnsResolverState.Resolved && resolver.Address != 0 ? 1 : 0;
                while (resolver.Poll(10) != null)
                {
                }

                DnsResponse.Parse(input, 0, input.Length);
                parsed++;
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
        string reached = "of " + Inputs.ToString() + " answers: " + parsed.ToString() + " parsed, " + decided.ToString()
            + " decided the lookup (resolved, failed or passed it on), " + resolved.ToString() + " resolved it";
        Assert.IsTrue(parsed > Inputs / 4, "too few answers parse: " + reached);
        Assert.IsTrue(decided > Inputs / 4, "too few answers reach the resolver's decisions: " + reached);
        Assert.IsTrue(resolved > Inputs / 10, "too few answers resolve the name: " + reached);
    }
}
