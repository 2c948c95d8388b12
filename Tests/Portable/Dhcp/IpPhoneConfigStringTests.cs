using Protocol.Dhcp;
using Tests.Portable.Support;

namespace Tests.Portable.Dhcp;

[TestClass]
public class IpPhoneConfigStringTests
{
    /// <summary>The example of the vendor's configuration guide.</summary>
    public const string GuideExample = "id:ipphone.mitel.com;sw_tftp=10.37.20.11;call_srv=10.37.18.11,10.37.10.11;vlan=1056;l2p=6;dscp=46";

    [TestMethod]
    public void ParsesTheGuideExample()
    {
        IpPhoneConfig config = IpPhoneConfigString.Parse(GuideExample);
        Assert.AreEqual(1, config.TftpServers.Length);
        Assert.AreEqual(0x0A25140Bu, config.TftpServers[0].Address);
        Assert.AreEqual("10.37.20.11", config.TftpServers[0].Host);
        Assert.AreEqual(0, config.TftpServers[0].Port);
        Assert.AreEqual(2, config.CallServers.Length);
        Assert.AreEqual(0x0A25120Bu, config.CallServers[0].Address);
        Assert.AreEqual(0x0A250A0Bu, config.CallServers[1].Address);
        Assert.AreEqual(1056, config.Vlan);
        Assert.AreEqual(6, config.Priority);
        Assert.AreEqual(46, config.Dscp);
        Assert.IsNull(config.IpaServer);
        Assert.IsNull(config.AppProxy);
    }

    [TestMethod]
    public void TagsMayComeInAnyOrder()
    {
        IpPhoneConfig config = IpPhoneConfigString.Parse("id:ipphone.mitel.com;dscp=46;call_srv=10.0.0.5;vlan=7");
        Assert.AreEqual(46, config.Dscp);
        Assert.AreEqual(7, config.Vlan);
        Assert.AreEqual(0x0A000005u, config.CallServers[0].Address);
        Assert.AreEqual(IpPhoneConfig.Absent, config.Priority);
        Assert.AreEqual(0, config.TftpServers.Length);
    }

    [TestMethod]
    public void ARepeatedTagOverwritesTheEarlierOne()
    {
        IpPhoneConfig config = IpPhoneConfigString.Parse("id:ipphone.mitel.com;vlan=1;call_srv=10.0.0.1,10.0.0.2;vlan=2;call_srv=10.0.0.3");
        Assert.AreEqual(2, config.Vlan);
        Assert.AreEqual(1, config.CallServers.Length);
        Assert.AreEqual(0x0A000003u, config.CallServers[0].Address);
    }

    [TestMethod]
    public void AnEmptyValueMeansNotConfigured()
    {
        IpPhoneConfig config = IpPhoneConfigString.Parse(
            "id:ipphone.mitel.com;vlan=5;l2p=3;dscp=10;call_srv=10.0.0.1;sw_tftp=10.0.0.2;ipa_srv=10.0.0.3;app_proxy=p.example.com:443"
            + ";vlan=;l2p=;dscp=;call_srv=;sw_tftp=;ipa_srv=;app_proxy=");
        Assert.AreEqual(IpPhoneConfig.Absent, config.Vlan);
        Assert.AreEqual(IpPhoneConfig.Absent, config.Priority);
        Assert.AreEqual(IpPhoneConfig.Absent, config.Dscp);
        Assert.AreEqual(0, config.CallServers.Length);
        Assert.AreEqual(0, config.TftpServers.Length);
        Assert.IsNull(config.IpaServer);
        Assert.IsNull(config.AppProxy);
    }

    [TestMethod]
    public void AllowsTrailingAndRepeatedSeparators()
    {
        IpPhoneConfig config = IpPhoneConfigString.Parse("id:ipphone.mitel.com;;call_srv=10.0.0.1;;;vlan=3;");
        Assert.AreEqual(1, config.CallServers.Length);
        Assert.AreEqual(3, config.Vlan);
        Assert.AreEqual(0, IpPhoneConfigString.Parse("id:ipphone.mitel.com").CallServers.Length);
        Assert.AreEqual(0, IpPhoneConfigString.Parse("id:ipphone.mitel.com;").CallServers.Length);
    }

    [TestMethod]
    public void AcceptsFqdnFqdnWithPathAndPort()
    {
        IpPhoneConfig config = IpPhoneConfigString.Parse(
            "id:ipphone.mitel.com;sw_tftp=tftp.example.com/loads/6930;call_srv=pbx1.example.com,10.0.0.9:6801,pbx2.example.com:6800/sip");
        Assert.AreEqual("tftp.example.com", config.TftpServers[0].Host);
        Assert.AreEqual(0u, config.TftpServers[0].Address);
        Assert.AreEqual("loads/6930", config.TftpServers[0].Path);
        Assert.AreEqual(0, config.TftpServers[0].Port);

        Assert.AreEqual(3, config.CallServers.Length);
        Assert.AreEqual("pbx1.example.com", config.CallServers[0].Host);
        Assert.AreEqual(0u, config.CallServers[0].Address);
        Assert.AreEqual(0x0A000009u, config.CallServers[1].Address);
        Assert.AreEqual(6801, config.CallServers[1].Port);
        Assert.AreEqual("pbx2.example.com", config.CallServers[2].Host);
        Assert.AreEqual(6800, config.CallServers[2].Port);
        Assert.AreEqual("sip", config.CallServers[2].Path);
        Assert.AreEqual("pbx2.example.com:6800/sip", config.CallServers[2].ToString());
    }

    [TestMethod]
    public void AcceptsUpToFourCallServersAndRejectsMore()
    {
        IpPhoneConfig config = IpPhoneConfigString.Parse("id:ipphone.mitel.com;call_srv=10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4");
        Assert.AreEqual(4, config.CallServers.Length);
        Assert.AreEqual(0x0A000004u, config.CallServers[3].Address);
        AssertThrows.ParseError(() => IpPhoneConfigString.Parse("id:ipphone.mitel.com;call_srv=10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5"));

        // sw_tftp has no such limit.
        Assert.AreEqual(5, IpPhoneConfigString.Parse("id:ipphone.mitel.com;sw_tftp=a,b,c,d,e").TftpServers.Length);
    }

    [TestMethod]
    public void AcceptsTheEdgesOfEachRange()
    {
        IpPhoneConfig low = IpPhoneConfigString.Parse("id:ipphone.mitel.com;vlan=0;l2p=0;dscp=0");
        Assert.AreEqual(0, low.Vlan);
        Assert.AreEqual(0, low.Priority);
        Assert.AreEqual(0, low.Dscp);
        IpPhoneConfig high = IpPhoneConfigString.Parse("id:ipphone.mitel.com;vlan=4095;l2p=7;dscp=63");
        Assert.AreEqual(4095, high.Vlan);
        Assert.AreEqual(7, high.Priority);
        Assert.AreEqual(63, high.Dscp);
    }

    [TestMethod]
    public void RejectsOutOfRangeOrNonNumericQos()
    {
        string[] bad = new string[]
        {
            "vlan=4096", "l2p=8", "dscp=64", "vlan=-1", "vlan=abc", "l2p=1.5", "dscp= 4", "vlan=0x10", "vlan=1234567890",
        };
        for (int i = 0; i < bad.Length; i++)
        {
            string text = "id:ipphone.mitel.com;call_srv=10.0.0.1;" + bad[i];
            AssertThrows.ParseError(() => IpPhoneConfigString.Parse(text));
        }
    }

    [TestMethod]
    public void RejectsAWrongOrMissingIdentifier()
    {
        string[] bad = new string[]
        {
            string.Empty, "id:ipphone.mitel.co", "id:ipphone.mitel.comx;vlan=1", "ID:IPPHONE.MITEL.COM;vlan=1",
            " id:ipphone.mitel.com", "vlan=1;id:ipphone.mitel.com",
        };
        for (int i = 0; i < bad.Length; i++)
        {
            string text = bad[i];
            Assert.IsFalse(IpPhoneConfigString.StartsWithIdentifier(text), text);
            AssertThrows.ParseError(() => IpPhoneConfigString.Parse(text));
        }
    }

    [TestMethod]
    public void TagsAreCaseSensitiveAndUnknownTagsAreIgnored()
    {
        IpPhoneConfig config = IpPhoneConfigString.Parse("id:ipphone.mitel.com;VLAN=5;future_tag=anything,at:all/x;call_srv=10.0.0.1");
        Assert.AreEqual(IpPhoneConfig.Absent, config.Vlan);
        Assert.AreEqual(1, config.CallServers.Length);
    }

    [TestMethod]
    public void RejectsPairsWithoutTagOrEquals()
    {
        AssertThrows.ParseError(() => IpPhoneConfigString.Parse("id:ipphone.mitel.com;vlan"));
        AssertThrows.ParseError(() => IpPhoneConfigString.Parse("id:ipphone.mitel.com;=5"));
    }

    [TestMethod]
    public void RejectsBadEndpoints()
    {
        string[] bad = new string[]
        {
            "10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:", "10.0.0.1:http", "10.0.0.256", "10.0.0", "pbx example.com",
            "pbx@example.com", ":5000", "/path", "10.0.0.1,", ",10.0.0.1", "10.0.0.1,,10.0.0.2",
        };
        for (int i = 0; i < bad.Length; i++)
        {
            string text = "id:ipphone.mitel.com;call_srv=" + bad[i];
            AssertThrows.ParseError(() => IpPhoneConfigString.Parse(text));
        }

        Assert.AreEqual(65535, IpPhoneConfigString.ParseEndpoint("10.0.0.1:65535").Port);
        Assert.AreEqual(1, IpPhoneConfigString.ParseEndpoint("host_name-1:1").Port);
    }

    [TestMethod]
    public void ParsesIpaServerAndAppProxy()
    {
        IpPhoneConfig config = IpPhoneConfigString.Parse("id:ipphone.mitel.com;ipa_srv=10.1.2.3:3999;app_proxy=proxy.example.com:443");
        Assert.IsNotNull(config.IpaServer);
        Assert.AreEqual(0x0A010203u, config.IpaServer!.Address);
        Assert.AreEqual(3999, config.IpaServer.Port);
        Assert.AreEqual("proxy.example.com:443", config.AppProxy);

        string forty = "a234567890123456789012345678901234567890";
        Assert.AreEqual(forty, IpPhoneConfigString.Parse("id:ipphone.mitel.com;app_proxy=" + forty).AppProxy);
        AssertThrows.ParseError(() => IpPhoneConfigString.Parse("id:ipphone.mitel.com;app_proxy=" + forty + "1"));
    }

    [TestMethod]
    public void RejectsStringsLongerThanTheMaximum()
    {
        string text = "id:ipphone.mitel.com;call_srv=10.0.0.1;";
        while (text.Length < IpPhoneConfigString.MaximumLength)
        {
            text += ";";
        }

        Assert.AreEqual(1, IpPhoneConfigString.Parse(text).CallServers.Length);
        string longer = text + ";";
        AssertThrows.ParseError(() => IpPhoneConfigString.Parse(longer));
    }

    [TestMethod]
    public void FormatWritesWhatParseReadsBack()
    {
        IpPhoneConfig config = new IpPhoneConfig();
        config.TftpServers = new ServerEndpoint[] { IpPhoneConfigString.Endpoint("10.77.0.1", 0), IpPhoneConfigString.Endpoint("tftp.lab.test", 1069) };
        config.CallServers = new ServerEndpoint[] { IpPhoneConfigString.Endpoint("10.77.0.1", 6800), IpPhoneConfigString.ParseEndpoint("cs.lab.test/pbx") };
        config.IpaServer = IpPhoneConfigString.Endpoint("10.77.0.9", 0);
        config.Vlan = 42;
        config.Priority = 6;
        config.Dscp = 46;
        config.AppProxy = "proxy.lab.test:443";
        string text = IpPhoneConfigString.Format(config);
        Assert.AreEqual("id:ipphone.mitel.com;sw_tftp=10.77.0.1,tftp.lab.test:1069;call_srv=10.77.0.1:6800,cs.lab.test/pbx;ipa_srv=10.77.0.9;vlan=42;l2p=6;dscp=46;app_proxy=proxy.lab.test:443", text);

        IpPhoneConfig back = IpPhoneConfigString.Parse(text);
        Assert.AreEqual(2, back.TftpServers.Length);
        Assert.AreEqual(1069, back.TftpServers[1].Port);
        Assert.AreEqual(0x0A4D0001u, back.CallServers[0].Address);
        Assert.AreEqual("pbx", back.CallServers[1].Path);
        Assert.AreEqual(42, back.Vlan);
        Assert.AreEqual(46, back.Dscp);
        Assert.AreEqual("proxy.lab.test:443", back.AppProxy);
    }

    [TestMethod]
    public void FormatLeavesOutWhatIsNotSet()
    {
        IpPhoneConfig config = new IpPhoneConfig();
        config.CallServers = new ServerEndpoint[] { IpPhoneConfigString.Endpoint("10.77.0.1", 6800) };
        Assert.AreEqual("id:ipphone.mitel.com;call_srv=10.77.0.1:6800", IpPhoneConfigString.Format(config));
        AssertThrows.ParseError(() => IpPhoneConfigString.Endpoint("bad host", 0));
    }
}
