using System;
using Protocol.Common;
using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

[TestClass]
public class IpPhoneConfigStringFuzzTests
{
    private const uint BaseSeed = 0x5721C000;
    private const string Alphabet = "id:ipphone.mitel.com;=,/0123456789_-abcxyzSWTFP@ \t";

    private static readonly string[] Samples = new string[]
    {
        "id:ipphone.mitel.com;sw_tftp=10.37.20.11;call_srv=10.37.18.11,10.37.10.11;vlan=1056;l2p=6;dscp=46",
        "id:ipphone.mitel.com;call_srv=pbx1.example.com:6800/sip,10.0.0.1:1,b,c;ipa_srv=10.1.2.3:3999;app_proxy=proxy.example.com:443",
        "id:ipphone.mitel.com;;sw_tftp=tftp.example.com/loads/6930;;vlan=;l2p=;dscp=;unknown=1;",
    };

    private static string Input(SeededRandom random)
    {
        if (random.Next(4) == 0)
        {
            // The identifier, then random text over the characters the parser cares about.
            char[] tail = new char[random.Next(120)];
            for (int i = 0; i < tail.Length; i++)
            {
                tail[i] = random.Next(20) == 0 ? (char)random.Next(0x100) : Alphabet[random.Next(Alphabet.Length)];
            }

            return (random.Next(8) == 0 ? string.Empty : IpPhoneConfigString.Identifier + ";") + new string(tail);
        }

        char[] text = Samples[random.Next(Samples.Length)].ToCharArray();
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations && text.Length > 0; m++)
        {
            int at = random.Next(text.Length);
            switch (random.Next(5))
            {
                case 0:
                    text[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 1:
                    text[at] = (char)(0x20 + random.Next(0x5F));
                    break;
                case 2:
                    char[] shorter = new char[at];
                    Array.Copy(text, shorter, at);
                    text = shorter;
                    break;
                case 3:
                    char[] longer = new char[text.Length + 1];
                    Array.Copy(text, longer, at);
                    longer[at] = Alphabet[random.Next(Alphabet.Length)];
                    Array.Copy(text, at, longer, at + 1, text.Length - at);
                    text = longer;
                    break;
                default:
                    int count = 1 + random.Next(text.Length - at);
                    char[] cut = new char[text.Length - count];
                    Array.Copy(text, cut, at);
                    Array.Copy(text, at + count, cut, at, text.Length - at - count);
                    text = cut;
                    break;
            }
        }

        return new string(text);
    }

    private static string Hex(string text)
    {
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            bytes[i] = (byte)text[i];
        }

        return Ascii.ToHex(bytes, 0, bytes.Length);
    }

    [TestMethod]
    public void ParseThrowsOnlyProtocolParseException()
    {
        string failure = string.Empty;
        int parsed = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + (uint)i;
            string input = Input(new SeededRandom(seed));
            try
            {
                IpPhoneConfig config = IpPhoneConfigString.Parse(input);
                parsed++;
                Assert.IsTrue(config.CallServers.Length <= IpPhoneConfigString.MaximumCallServers, "seed " + seed.ToString());
                Assert.IsTrue(config.Vlan >= -1 && config.Vlan <= 4095, "seed " + seed.ToString());
                Assert.IsTrue(config.Priority >= -1 && config.Priority <= 7, "seed " + seed.ToString());
                Assert.IsTrue(config.Dscp >= -1 && config.Dscp <= 63, "seed " + seed.ToString());
            }
            catch (ProtocolParseException)
            {
            }
            catch (Exception e)
            {
                failure = "seed " + seed.ToString() + ": " + e.GetType().Name + " (" + e.Message + ") on input " + Hex(input);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
        Assert.IsTrue(parsed > 1000, "too few inputs parsed: " + parsed.ToString());
    }
}
