using Protocol.Common;
using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

[TestClass]
public class PhoneConfigOptionsTests
{
    private const string Config125 = "id:ipphone.mitel.com;call_srv=10.0.0.125;vlan=125";
    private const string Config43 = "id:ipphone.mitel.com;call_srv=10.0.0.43;vlan=43";

    private static IpPhoneConfig? Find(DhcpOptionList options, out string reason)
    {
        return PhoneConfigOptions.Find(options, out reason);
    }

    // Legacy options carrying call server 10.0.0.128 as a raw address.
    private static void SetLegacy(DhcpOptionList options)
    {
        options.SetString(DhcpOptionCode.LegacyIdentifier, PhoneConfigOptions.LegacyIdentifier);
        options.SetAddresses(DhcpOptionCode.LegacyCallServer, new uint[] { 0x0A000080 });
    }

    private static byte[] Block(uint enterprise, byte[] data)
    {
        ByteWriter writer = new ByteWriter(data.Length + 5);
        writer.WriteUInt32(enterprise);
        writer.WriteByte(data.Length);
        writer.WriteBytes(data);
        return writer.ToArray();
    }

    private static byte[] SubOption(int code, string text)
    {
        return Bytes.Concat(new byte[] { (byte)code, (byte)text.Length }, Ascii.GetBytes(text));
    }

    [TestMethod]
    public void FindsTheStringInOption125InEachOfItsThreeForms()
    {
        int[] forms = new int[] { 0, 1, 130 };
        for (int i = 0; i < forms.Length; i++)
        {
            DhcpOptionList options = new DhcpOptionList();
            options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, PhoneConfigOptions.BuildOption125(Config125, forms[i]));
            string reason;
            IpPhoneConfig? config = Find(options, out reason);
            Assert.IsNotNull(config, reason);
            Assert.AreEqual(125, config!.SourceOption);
            Assert.AreEqual(forms[i], config.SubOption);
            Assert.AreEqual(0x0A00007Du, config.CallServers[0].Address);
            Assert.AreEqual(125, config.Vlan);
            Assert.AreEqual(string.Empty, reason);
        }
    }

    [TestMethod]
    public void BuildsOption125AsRfc3925Blocks()
    {
        byte[] direct = PhoneConfigOptions.BuildOption125(Config125, 0);
        Assert.AreEqual(PhoneConfigOptions.EnterpriseNumber, BigEndian.ReadUInt32(direct, 0));
        Assert.AreEqual(Config125.Length, (int)direct[4]);
        Assert.AreEqual(Config125, Ascii.GetPrintableString(direct, 5, Config125.Length));

        byte[] sub130 = PhoneConfigOptions.BuildOption125(Config125, 130);
        Assert.AreEqual(Config125.Length + 2, (int)sub130[4]);
        Assert.AreEqual(130, (int)sub130[5]);
        Assert.AreEqual(Config125.Length, (int)sub130[6]);
        Assert.AreEqual(Config125, Ascii.GetPrintableString(sub130, 7, Config125.Length));
    }

    [TestMethod]
    public void BuildOption125RefusesBadSubOptionsAndLongStrings()
    {
        AssertThrows.Any(() => PhoneConfigOptions.BuildOption125(Config125, 2));
        string text = "id:ipphone.mitel.com;call_srv=10.0.0.1;";
        while (text.Length < 250)
        {
            text += ";";
        }

        Assert.AreEqual(255, PhoneConfigOptions.BuildOption125(text, 0).Length);
        Assert.AreEqual(257, PhoneConfigOptions.BuildOption125(text, 1).Length);
        string longer = text + ";";
        AssertThrows.Any(() => PhoneConfigOptions.BuildOption125(longer, 0));
    }

    [TestMethod]
    public void SkipsOtherEnterprisesInOption125()
    {
        byte[] other = Block(9999, new byte[] { 1, 2, 3 });
        byte[] ours = Block(PhoneConfigOptions.EnterpriseNumber, SubOption(1, Config125));
        DhcpOptionList options = new DhcpOptionList();
        options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, Bytes.Concat(other, ours));
        string reason;
        IpPhoneConfig? config = Find(options, out reason);
        Assert.IsNotNull(config, reason);
        Assert.AreEqual(1, config!.SubOption);
    }

    [TestMethod]
    public void SkipsUnrelatedSubOptionsBeforeTheString()
    {
        byte[] data = Bytes.Concat(new byte[] { 7, 2, 0xAA, 0xBB }, SubOption(130, Config125));
        DhcpOptionList options = new DhcpOptionList();
        options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, Block(PhoneConfigOptions.EnterpriseNumber, data));
        string reason;
        IpPhoneConfig? config = Find(options, out reason);
        Assert.IsNotNull(config, reason);
        Assert.AreEqual(130, config!.SubOption);
    }

    [TestMethod]
    public void Option125TakesPrecedenceOver43AndLegacy()
    {
        DhcpOptionList options = new DhcpOptionList();
        SetLegacy(options);
        options.SetString(DhcpOptionCode.VendorSpecific, Config43);
        options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, PhoneConfigOptions.BuildOption125(Config125, 1));
        string reason;
        IpPhoneConfig? config = Find(options, out reason);
        Assert.AreEqual(125, config!.SourceOption);
        Assert.AreEqual(0x0A00007Du, config.CallServers[0].Address);
    }

    [TestMethod]
    public void Option43TakesPrecedenceOverLegacy()
    {
        DhcpOptionList options = new DhcpOptionList();
        SetLegacy(options);
        options.SetString(DhcpOptionCode.VendorSpecific, Config43);
        string reason;
        IpPhoneConfig? config = Find(options, out reason);
        Assert.AreEqual(43, config!.SourceOption);
        Assert.AreEqual(0, config.SubOption);
        Assert.AreEqual(0x0A00002Bu, config.CallServers[0].Address);
    }

    [TestMethod]
    public void Option43MayCarryTheStringAsASubOption()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.Set(DhcpOptionCode.VendorSpecific, SubOption(130, Config43));
        string reason;
        IpPhoneConfig? config = Find(options, out reason);
        Assert.IsNotNull(config, reason);
        Assert.AreEqual(43, config!.SourceOption);
        Assert.AreEqual(130, config.SubOption);
    }

    [TestMethod]
    public void AnUnusableOption125FallsBackTo43()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, PhoneConfigOptions.BuildOption125("id:ipphone.mitel.com;vlan=5", 0));
        options.SetString(DhcpOptionCode.VendorSpecific, Config43);
        string reason;
        IpPhoneConfig? config = Find(options, out reason);
        Assert.AreEqual(43, config!.SourceOption);
    }

    [TestMethod]
    public void UsesLegacyOptionsWithRawAddressesOrText()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.SetString(DhcpOptionCode.LegacyIdentifier, "MITEL IP PHONE");
        options.SetAddresses(DhcpOptionCode.LegacyCallServer, new uint[] { 0x0A000080, 0x0A000081 });
        options.SetString(DhcpOptionCode.LegacyTftpServer, "tftp.example.com");
        options.Set(DhcpOptionCode.LegacyVlan, new byte[] { 0x04, 0x20 });
        options.SetByte(DhcpOptionCode.LegacyPriority, 6);
        options.SetByte(DhcpOptionCode.LegacyDscp, 46);
        string reason;
        IpPhoneConfig? config = Find(options, out reason);
        Assert.IsNotNull(config, reason);
        Assert.AreEqual(128, config!.SourceOption);
        Assert.AreEqual(2, config.CallServers.Length);
        Assert.AreEqual("10.0.0.129", config.CallServers[1].Host);
        Assert.AreEqual(0x0A000081u, config.CallServers[1].Address);
        Assert.AreEqual("tftp.example.com", config.TftpServers[0].Host);
        Assert.AreEqual(1056, config.Vlan);
        Assert.AreEqual(6, config.Priority);
        Assert.AreEqual(46, config.Dscp);

        options.SetString(DhcpOptionCode.LegacyCallServer, "10.0.0.7,pbx.example.com");
        config = Find(options, out reason);
        Assert.AreEqual(0x0A000007u, config!.CallServers[0].Address);
        Assert.AreEqual("pbx.example.com", config.CallServers[1].Host);
    }

    [TestMethod]
    public void ARawLegacyAddressWhoseBytesArePrintableIsStillAnAddress()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.SetString(DhcpOptionCode.LegacyIdentifier, PhoneConfigOptions.LegacyIdentifier);
        options.SetAddresses(DhcpOptionCode.LegacyCallServer, new uint[] { 0x64406464 }); // 100.64.100.100 = "d@dd"
        string reason;
        IpPhoneConfig? config = Find(options, out reason);
        Assert.IsNotNull(config, reason);
        Assert.AreEqual("100.64.100.100", config!.CallServers[0].Host);
    }

    [TestMethod]
    public void ATrailingNulAfterTheStringIsIgnored()
    {
        DhcpOptionList options = new DhcpOptionList();
        byte[] text = Bytes.Concat(Ascii.GetBytes(Config125), new byte[] { 0 });
        options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, Block(PhoneConfigOptions.EnterpriseNumber, text));
        string reason;
        IpPhoneConfig? config = Find(options, out reason);
        Assert.IsNotNull(config, reason);
        Assert.AreEqual(125, config!.Vlan);
    }

    [TestMethod]
    public void ReportsWhyNothingWasFound()
    {
        string reason;
        Assert.IsNull(Find(new DhcpOptionList(), out reason));
        Assert.AreEqual("no option 125, 43 or 128-135", reason);
    }

    [TestMethod]
    public void ReportsWhyOption125WasRejected()
    {
        AssertRejected(new byte[] { 0, 0, 4, 3 }, "option 125 is truncated");
        AssertRejected(new byte[] { 0, 0, 4, 3, 10, 1 }, "option 125 block length runs past the option");
        AssertRejected(Block(9999, new byte[] { 1 }), "option 125 has no block for enterprise 1027");
        AssertRejected(Block(PhoneConfigOptions.EnterpriseNumber, new byte[] { 1, 40, 65 }), "option 125 sub-option 1 runs past the option");
        AssertRejected(Block(PhoneConfigOptions.EnterpriseNumber, new byte[] { 2, 1, 65 }), "option 125 carries no phone configuration string");
        AssertRejected(PhoneConfigOptions.BuildOption125("id:ipphone.mitel.com;vlan=5", 1), "option 125 names no call server");
        AssertRejected(PhoneConfigOptions.BuildOption125("id:ipphone.mitel.com;call_srv=10.0.0.1;vlan=5000", 0), "option 125: vlan=5000 is not a number from 0 to 4095");

        byte[] nonPrintable = PhoneConfigOptions.BuildOption125(Config125, 1);
        nonPrintable[nonPrintable.Length - 1] = 0x07;
        AssertRejected(nonPrintable, "option 125: non-printable byte 0x07 in text");
    }

    [TestMethod]
    public void JoinsTheReasonsOf125And43()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, Block(9999, new byte[] { 1 }));
        options.SetString(DhcpOptionCode.VendorSpecific, "id:ipphone.mitel.com;vlan=1");
        string reason;
        Assert.IsNull(Find(options, out reason));
        Assert.AreEqual("option 125 has no block for enterprise 1027; option 43 names no call server", reason);
    }

    [TestMethod]
    public void ReportsWhyLegacyOptionsWereRejected()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.SetAddresses(DhcpOptionCode.LegacyCallServer, new uint[] { 0x0A000080 });
        string reason;
        Assert.IsNull(Find(options, out reason));
        Assert.IsTrue(reason.IndexOf("option 130") >= 0, reason);

        options.SetString(DhcpOptionCode.LegacyIdentifier, "OTHER PHONE");
        Assert.IsNull(Find(options, out reason));

        SetLegacy(options);
        Assert.IsNotNull(Find(options, out reason), reason);
        options.SetAddresses(DhcpOptionCode.LegacyCallServer, new uint[] { 0x0A000001, 0x0A000002, 0x0A000003, 0x0A000004, 0x0A000005 });
        Assert.IsNull(Find(options, out reason));
        Assert.AreEqual("legacy option 129 must name 1 to 4 call servers", reason);

        SetLegacy(options);
        options.Set(DhcpOptionCode.LegacyVlan, new byte[] { 0x10, 0x00 });
        Assert.IsNull(Find(options, out reason));
        Assert.AreEqual("legacy options: legacy value 4096 above 4095", reason);

        options.Set(DhcpOptionCode.LegacyVlan, new byte[] { 0, 0, 0, 0, 1 });
        Assert.IsNull(Find(options, out reason));
        Assert.AreEqual("legacy options: legacy number longer than 4 bytes", reason);

        options.Set(DhcpOptionCode.LegacyVlan, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF });
        Assert.IsNull(Find(options, out reason));
        Assert.AreEqual("legacy options: legacy value 4294967295 above 4095", reason);
    }

    [TestMethod]
    public void Option43WithoutTheIdentifierIsNotAPhoneConfiguration()
    {
        DhcpOptionList options = new DhcpOptionList();
        options.SetString(DhcpOptionCode.VendorSpecific, "call_srv=10.0.0.1");
        string reason;
        Assert.IsNull(Find(options, out reason));
        Assert.IsTrue(reason.Length > 0);
    }

    private static void AssertRejected(byte[] option125, string expectedReason)
    {
        DhcpOptionList options = new DhcpOptionList();
        options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, option125);
        string reason;
        Assert.IsNull(Find(options, out reason), Bytes.Hex(option125));
        Assert.AreEqual(expectedReason, reason, Bytes.Hex(option125));
    }
}
