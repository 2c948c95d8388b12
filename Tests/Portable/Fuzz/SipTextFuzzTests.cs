using System;
using Protocol.Common;
using Protocol.Sip;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

/// <summary>The SIP parsers that take header text: URIs, name-addr, Via, Digest challenges.</summary>
[TestClass]
public class SipTextFuzzTests
{
    private const uint BaseSeed = 0x51A00000;

    private static readonly byte[][] Addresses = new byte[][]
    {
        Ascii.GetBytes("\"Desk \\\"A\\\"\" <sip:1001:pw@pbx.example.com:5070;transport=tcp;lr?subject=x>;tag=9f;expires=60"),
        Ascii.GetBytes("sips:[2001:db8::1]:5061;maddr=10.0.0.1;tag=1"),
        Ascii.GetBytes("Reception <sip:100@10.0.0.1>"),
    };

    private static readonly byte[][] Vias = new byte[][]
    {
        Ascii.GetBytes("SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKabc;rport=5062;received=10.0.0.9"),
        Ascii.GetBytes("SIP/2.0/TLS [::1]:5061;branch=z9hG4bK1"),
    };

    private static readonly byte[][] Challenges = new byte[][]
    {
        Ascii.GetBytes("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""),
        Ascii.GetBytes("digest REALM=\"r\",NONCE=\"n2\", stale=TRUE, algorithm=MD5-sess"),
    };

    private static string Text(byte[] input)
    {
        char[] chars = new char[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            chars[i] = (char)input[i];
        }

        return new string(chars);
    }

    private static void Run(uint baseSeed, byte[][] samples, int kind)
    {
        string failure = string.Empty;
        int parsed = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = baseSeed + (uint)i;
            byte[] input = Support.Fuzz.Input(new SeededRandom(seed), samples, 200);
            try
            {
                string text = Text(input);
                if (kind == 0)
                {
                    SipNameAddr nameAddr = SipNameAddr.Parse(text);
                    Assert.IsTrue(nameAddr.Parameters.Count <= SipParameters.MaxCount, "seed " + seed.ToString());
                    SipNameAddr.Parse(nameAddr.ToString());
                }
                else if (kind == 1)
                {
                    SipVia via = SipVia.Parse(text);
                    Assert.IsTrue(via.Port >= -1 && via.Port <= 65535, "seed " + seed.ToString());
                }
                else
                {
                    DigestChallenge challenge = DigestChallenge.Parse(text);
                    DigestAuthorization.Header(challenge, "1001", "1234", "REGISTER", "sip:h", "c", 1);
                }

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
        Assert.IsTrue(parsed > 1000, "too few inputs parsed: " + parsed.ToString());
    }

    [TestMethod]
    public void NameAddrAndUriThrowOnlyProtocolParseException()
    {
        Run(BaseSeed, Addresses, 0);
    }

    [TestMethod]
    public void ViaThrowsOnlyProtocolParseException()
    {
        Run(BaseSeed + 0x100000, Vias, 1);
    }

    [TestMethod]
    public void DigestChallengeThrowsOnlyProtocolParseException()
    {
        Run(BaseSeed + 0x200000, Challenges, 2);
    }
}
