using System;
using Protocol.Common;
using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Fuzz;

[TestClass]
public class PhoneConfigOptionsFuzzTests
{
    private const uint BaseSeed = 0x125C0000;
    private const string Text = "id:ipphone.mitel.com;sw_tftp=10.37.20.11;call_srv=10.37.18.11,pbx.example.com:6800;vlan=1056;l2p=6;dscp=46";

    private static byte[] Area(DhcpOptionList options)
    {
        ByteWriter writer = new ByteWriter(256);
        options.WriteTo(writer);
        return writer.ToArray();
    }

    private static byte[][] Samples()
    {
        DhcpOptionList direct = new DhcpOptionList();
        direct.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, PhoneConfigOptions.BuildOption125(Text, 0));
        DhcpOptionList sub1 = new DhcpOptionList();
        sub1.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, Bytes.Concat(new byte[] { 0, 0, 0, 9, 2, 1, 2 }, PhoneConfigOptions.BuildOption125(Text, 1)));
        DhcpOptionList sub130 = new DhcpOptionList();
        sub130.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, PhoneConfigOptions.BuildOption125(Text, 130));
        sub130.SetString(DhcpOptionCode.VendorSpecific, Text);
        DhcpOptionList option43 = new DhcpOptionList();
        option43.Set(DhcpOptionCode.VendorSpecific, Bytes.Concat(new byte[] { 130, (byte)Text.Length }, Ascii.GetBytes(Text)));
        DhcpOptionList legacy = new DhcpOptionList();
        legacy.SetString(DhcpOptionCode.LegacyIdentifier, PhoneConfigOptions.LegacyIdentifier);
        legacy.SetAddresses(DhcpOptionCode.LegacyCallServer, new uint[] { 0x0A000001, 0x0A000002 });
        legacy.SetString(DhcpOptionCode.LegacyTftpServer, "tftp.example.com,10.0.0.3");
        legacy.Set(DhcpOptionCode.LegacyVlan, new byte[] { 4, 32 });
        legacy.SetByte(DhcpOptionCode.LegacyPriority, 6);
        legacy.SetByte(DhcpOptionCode.LegacyDscp, 46);
        return new byte[][] { Area(direct), Area(sub1), Area(sub130), Area(option43), Area(legacy) };
    }

    [TestMethod]
    public void FindThrowsOnlyProtocolParseException()
    {
        byte[][] samples = Samples();
        string failure = string.Empty;
        int found = 0;
        for (int i = 0; i < Support.Fuzz.Iterations && failure.Length == 0; i++)
        {
            uint seed = BaseSeed + (uint)i;
            byte[] input = Support.Fuzz.Input(new SeededRandom(seed), samples, 300);
            DhcpOptionList options = new DhcpOptionList();
            try
            {
                options.ParseArea(input, 0, input.Length);
            }
            catch (ProtocolParseException)
            {
                continue;
            }
            catch (Exception e)
            {
                failure = Support.Fuzz.Describe(seed, input, e);
                break;
            }

            try
            {
                // Find reports an unusable configuration as null with a reason; DhcpClient calls it
                // without a catch, so not even a ProtocolParseException may come out of it.
                string reason;
                IpPhoneConfig? config = PhoneConfigOptions.Find(options, out reason);
                if (config == null)
                {
                    Assert.IsTrue(reason.Length > 0, "no reason given for seed " + seed.ToString());
                }
                else
                {
                    found++;
                    Assert.IsTrue(config.CallServers.Length >= 1 && config.CallServers.Length <= 4, "call servers for seed " + seed.ToString());
                }
            }
            catch (Exception e)
            {
                failure = Support.Fuzz.Describe(seed, input, e);
            }
        }

        Assert.AreEqual(string.Empty, failure, failure);
        Assert.IsTrue(found > 1000, "too few inputs still carried a configuration: " + found.ToString());
    }
}
