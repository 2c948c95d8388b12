using System;
using Protocol.Common;
using Protocol.Sip;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

[TestClass]
public class SipMessageFuzzTests
{
    private const uint BaseSeed = 0x51900000;

    private static readonly byte[][] Samples = new byte[][]
    {
        Ascii.GetBytes("REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK1;rport\r\nMax-Forwards: 70\r\nFrom: \"Desk\" <sip:1001@example.com>;tag=ab\r\nTo: <sip:1001@example.com>\r\nCall-ID: 1@10.0.0.5\r\nCSeq: 2 REGISTER\r\nContact: <sip:1001@10.0.0.5:5062>;expires=60\r\nAuthorization: Digest username=\"1001\", realm=\"example.com\", nonce=\"n\", uri=\"sip:example.com\", response=\"0123\"\r\nContent-Length: 0\r\n\r\n"),
        Ascii.GetBytes("SIP/2.0 401 Unauthorized\r\nv: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK1, SIP/2.0/TCP h\r\nf: <sip:1001@example.com>;tag=ab\r\nt: <sip:1001@example.com>;tag=x\r\ni: 1@10.0.0.5\r\ncseq: 2\r\n REGISTER\r\nWWW-Authenticate: Digest realm=\"example.com\", nonce=\"n\", qop=\"auth\", stale=true\r\nl: 4\r\n\r\nbody"),
        Ascii.GetBytes("SIP/2.0 200 OK\nContact: <sip:1001@10.0.0.5:5062>;expires=60, \"A, B\" <sip:x@h>\nExpires: 60\nRetry-After: 5 (x)\n\n"),
    };

    [TestMethod]
    public void ParseThrowsOnlyProtocolParseException()
    {
        string failure = string.Empty;
        int parsed = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + (uint)i;
            byte[] input = Support.Fuzz.Input(new SeededRandom(seed), Samples, 600);
            try
            {
                SipMessage message = SipMessageParser.Parse(input, 0, input.Length);
                parsed++;
                Assert.IsTrue(message.HeaderCount <= SipMessageParser.MaxHeaders, "seed " + seed.ToString());
                Assert.IsTrue(message.Body.Length <= input.Length, "seed " + seed.ToString());

                // What the phone reads from a response must fail only as a parse error too.
                message.GetList("Via");
                message.GetList("Contact");
                if (message.Get("CSeq") != null)
                {
                    message.CSeqNumber();
                }
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
        Assert.IsTrue(parsed > 1000, "too few inputs parsed: " + parsed.ToString());
    }

    [TestMethod]
    public void TheStreamFramerThrowsOnlyProtocolParseException()
    {
        string failure = string.Empty;
        int framed = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + 0x100000 + (uint)i;
            SeededRandom random = new SeededRandom(seed);
            byte[] input = Support.Fuzz.Input(random, Samples, 600);
            SipStreamFramer framer = new SipStreamFramer();
            try
            {
                // The input twice, in random chunks: messages straddle reads.
                for (int pass = 0; pass < 2; pass++)
                {
                    int at = 0;
                    while (at < input.Length)
                    {
                        int chunk = 1 + random.Next(input.Length - at);
                        framer.Append(input, at, chunk);
                        at += chunk;
                        while (framer.Take() != null)
                        {
                            framed++;
                        }
                    }
                }
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
        Assert.IsTrue(framed > 1000, "too few messages framed: " + framed.ToString());
    }
}
