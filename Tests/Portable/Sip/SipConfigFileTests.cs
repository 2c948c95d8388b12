using Protocol.Common;
using Protocol.Sip;

namespace Tests.Portable.Sip;

[TestClass]
public class SipConfigFileTests
{
    private static SipConfigFile Parse(string text)
    {
        byte[] bytes = Ascii.GetBytes(text);
        return SipConfigFile.Parse(bytes, 0, bytes.Length);
    }

    [TestMethod]
    public void ReadsKeysInAnyCaseSkipsCommentsAndCountsMalformedLines()
    {
        SipConfigFile file = Parse(
            "# startup.cfg\r\n" +
            "  # an indented comment\n" +
            "SIP Registrar IP:  10.0.0.1  \n" +
            "sip   registrar port: 5070\n" +
            "a line without a colon\n" +
            ": no key\n" +
            "sip line1 display name: Front Desk: Reception\n" +
            "\n" +
            "!sip transport protocol: 2\n");
        Assert.AreEqual("10.0.0.1", file.Get("sip registrar ip"));
        Assert.AreEqual("5070", file.Get("SIP REGISTRAR PORT"));
        Assert.AreEqual("Front Desk: Reception", file.Get("sip line1 display name"));
        Assert.AreEqual("2", file.Get("sip transport protocol"), "a locked key is still a setting");
        Assert.AreEqual(2, file.MalformedLines);
        Assert.AreEqual(4, file.Count);
    }

    [TestMethod]
    public void LaterFilesOverrideEarlierOnesAndCaretResets()
    {
        SipConfigFile merged = Parse("sip registrar ip: 10.0.0.1\nsip line1 password: 1111\nsip proxy ip: 10.0.0.3\n");
        merged.Apply(Parse("sip registrar ip: 10.0.0.2\nbroken\n"));
        merged.Apply(Parse("^sip proxy ip\nsip line1 user name: 1001\n"));
        Assert.AreEqual("10.0.0.2", merged.Get("sip registrar ip"));
        Assert.AreEqual("1111", merged.Get("sip line1 password"));
        Assert.IsNull(merged.Get("sip proxy ip"));
        Assert.AreEqual("1001", merged.Get("sip line1 user name"));
        Assert.AreEqual(1, merged.MalformedLines);
    }

    [TestMethod]
    public void OverlongLinesAndControlBytesAreSkippedNotFatal()
    {
        SipConfigFile file = Parse("k: " + new string('x', SipConfigFile.MaxLineLength) + "\nbad: a\u0001b\nok: 1\n");
        Assert.AreEqual(2, file.MalformedLines);
        Assert.AreEqual("1", file.Get("ok"));
    }

    [TestMethod]
    public void FileNamesFollowTheVendorsOrder()
    {
        string[] names = SipConfigFileNames.InOrder("6867i", new byte[] { 0x00, 0x08, 0x5d, 0x1a, 0x2b, 0xfc });
        Assert.AreEqual("startup.cfg", names[0]);
        Assert.AreEqual("6867i.cfg", names[1]);
        Assert.AreEqual("00085D1A2BFC.cfg", names[2]);
    }

    [TestMethod]
    public void SettingsMapTheVendorKeysAndKeepDefaultsForBadValues()
    {
        SipConfigFile files = Parse(
            "sip registrar ip: pbx.example.com\nsip registrar port: 5070\nsip proxy ip: 10.0.0.3\nsip proxy port: 99999\n" +
            "sip outbound proxy: 10.0.0.4\nsip transport protocol: 2\nsip line1 user name: 1001\nsip line1 password: 4321\n" +
            "sip line1 display name: Desk\nsip line1 registration period: 600\ndownload protocol: http\n");
        SipPhoneSettings settings = SipPhoneSettings.From(files);
        Assert.AreEqual("pbx.example.com", settings.RegistrarHost);
        Assert.AreEqual(5070, settings.RegistrarPort);
        Assert.AreEqual(SipPhoneSettings.DefaultPort, settings.ProxyPort);
        Assert.AreEqual(1, settings.InvalidValues);
        Assert.AreEqual("10.0.0.4", settings.OutboundProxy);
        Assert.AreEqual(SipTransport.Tcp, settings.Transport);
        Assert.AreEqual("1001", settings.AuthName, "the auth name defaults to the user name");
        Assert.AreEqual(600, settings.RegistrationPeriod);
        Assert.AreEqual("HTTP", settings.DownloadProtocol);
        Assert.IsTrue(settings.HasCredentials);

        SipRegistrationConfig config = settings.ToRegistrationConfig("10.0.0.5", 5060, "10.9.9.9");
        Assert.AreEqual("10.0.0.3", config.Servers[0].Host, "requests go through the proxy");
        Assert.AreEqual("pbx.example.com", config.Domain);
        Assert.AreEqual(600, config.ExpiresSeconds);
        Assert.AreEqual("Desk", config.DisplayName);
    }

    [TestMethod]
    public void WithoutARegistrarTheCallServerFromDhcpIsUsed()
    {
        SipPhoneSettings settings = SipPhoneSettings.From(Parse("sip line1 user name: 1001\nsip transport protocol: 3\n"));
        Assert.AreEqual(SipTransport.Udp, settings.Transport);
        Assert.AreEqual(1, settings.InvalidValues);
        Assert.IsFalse(settings.HasCredentials);
        SipRegistrationConfig config = settings.ToRegistrationConfig("10.0.0.5", 5060, "10.9.9.9");
        Assert.AreEqual("10.9.9.9", config.Servers[0].Host);
        Assert.AreEqual(5060, config.Servers[0].Port);
    }
}
