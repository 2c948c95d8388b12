using System;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// The `phone` program in SIP mode on a real segment (<see cref="SipPhoneSegment"/>, namespaces
/// tagged `sipphone`): DHCP from dnsmasq (option 125 naming the TFTP server), startup.cfg and
/// &lt;MAC&gt;.cfg from tftpd-hpa, REGISTER with digest at Kamailio (tools/kamailio) over UDP or
/// TCP, a refresh past one expiry, `kamcmd ul.dump` showing the binding; then a power-up with
/// '*' held removes it (Expires: 0) and prompts for the number. Each run's capture on the
/// phone's veth decodes as SIP, nothing malformed, and holds the 200s the phone reported.
/// </summary>
[TestClass]
public sealed class SipPhoneAgainstKamailioTests
{
    private static readonly TimeSpan PhoneTimeout = TimeSpan.FromSeconds(40);

    [TestMethod]
    [DataRow("udp")]
    [DataRow("tcp")]
    public void RegistersRefreshesAndAStarResetRemovesTheBinding(string transport)
    {
        using TestDirectory directory = new("sipphone-" + transport);
        using SipPhoneSegment segment = new("sipphone", directory, "no colon here\n", "sip line1 user name: 1001\nsip line1 password: 1234\nsip line1 display name: Front Desk\nsip line1 registration period: 10\n", 5060);
        using KamailioProcess kamailio = new(directory.Path, 5060, segment.Pair, segment.Server);
        BackgroundProcess first = segment.StartPhone(transport, "--exit-after sip.unregistered --timeout 40");
        try
        {
            // A refresh comes at half of the 10 s granted: past one expiry of the first grant's refresh time.
            Assert.IsTrue(first.WaitForLine("\"sip.refresh\"", PhoneTimeout), segment.Story(first, kamailio.Output));
            string output = first.Output;
            StringAssert.Contains(output, "\"sip.config\"", segment.Story(first, kamailio.Output));
            StringAssert.Contains(output, "\"malformedLines\":1", "startup.cfg's line without a colon is counted");
            StringAssert.Contains(output, "\"sip.challenge\"");
            StringAssert.Contains(output, "\"registered\"");
            Assert.IsFalse(output.Contains("\"pin.prompt\"", StringComparison.Ordinal), "the files held the credentials:\n" + output);

            // While the phone runs: its binding is in the location table, over the transport it used.
            string bound = kamailio.LocationTable();
            StringAssert.Contains(bound, "AoR: 1001", "ul.dump has no binding for 1001:\n" + bound);
            StringAssert.Contains(bound, "Socket: " + transport + ":", bound);
        }
        finally
        {
            first.Dispose();
        }

        // The killed phone's binding lives on at the registrar until it expires: the '*' boot must remove it.
        StringAssert.Contains(kamailio.LocationTable(), "AoR: 1001");
        using BackgroundProcess reset = segment.StartPhone(transport, "--hold-star --exit-after pin.prompt --timeout 30");
        Assert.IsTrue(reset.WaitForLine("\"pin.prompt\"", PhoneTimeout), segment.Story(reset, kamailio.Output));
        string resetOutput = reset.Output;
        int unregistered = resetOutput.IndexOf("\"sip.unregistered\"", StringComparison.Ordinal);
        int cleared = resetOutput.IndexOf("\"pin.cleared\"", StringComparison.Ordinal);
        Assert.IsTrue(unregistered >= 0 && cleared > unregistered, "the binding was not removed before the clear:\n" + resetOutput);
        StringAssert.Contains(resetOutput.Substring(unregistered, 80), "\"status\":200", resetOutput);
        string after = kamailio.LocationTable();
        Assert.IsFalse(after.Contains("AoR: 1001", StringComparison.Ordinal), "the binding is still in ul.dump:\n" + after);
        Assert.IsTrue(reset.WaitForExit(PhoneTimeout), reset.Output);
        segment.CheckWire(first, reset);
    }

    [TestMethod]
    public void A302FromTheFirstElementReHomesThePhoneAtTheSecondWithoutAPrompt()
    {
        using TestDirectory directory = new("sipphone-302");
        using SipPhoneSegment segment = new("sipphone", directory, string.Empty, "sip line1 user name: 2001\nsip line1 password: 3456\nsip line1 registration period: 60\n", 5060, 5070);
        string server = segment.Server;
        using KamailioProcess a = new(directory.Path, 5060, segment.Pair, server, "^(2|9)", "sip:" + server + ":5070");
        using KamailioProcess b = new(directory.Path, 5070, segment.Pair, server, "^(1|9)", "sip:" + server + ":5060");

        using BackgroundProcess phone = segment.StartPhone("udp", "--exit-after registered --timeout 30");
        Assert.IsTrue(phone.WaitForLine("\"registered\"", PhoneTimeout), segment.Story(phone, a.Output));
        string output = phone.Output;
        StringAssert.Contains(output, "\"redirect\"", output);
        StringAssert.Contains(output, "\"target\":\"" + server + ":5070\"", output);
        StringAssert.Contains(output.Substring(output.IndexOf("\"registered\"", StringComparison.Ordinal)), "\"controller\":\"" + server + ":5070\"", output);
        Assert.IsFalse(output.Contains("\"pin.prompt\"", StringComparison.Ordinal), "a redirect must not prompt:\n" + output);
        StringAssert.Contains(b.LocationTable(), "AoR: 2001");
        Assert.IsFalse(a.LocationTable().Contains("AoR: 2001", StringComparison.Ordinal), a.LocationTable());
        Assert.IsTrue(phone.WaitForExit(PhoneTimeout), phone.Output);
        segment.CheckWire(phone);
    }

    [TestMethod]
    public void RefusedCredentialsClearThePasswordAndPromptForItNamingTheRegistrar()
    {
        using TestDirectory directory = new("sipphone-refused");
        using SipPhoneSegment segment = new("sipphone", directory, string.Empty, "sip line1 user name: 1001\nsip line1 password: 9999\n", 5060);
        string server = segment.Server;
        using KamailioProcess kamailio = new(directory.Path, 5060, segment.Pair, server);

        using BackgroundProcess phone = segment.StartPhone("udp", "--exit-after pin.prompt --timeout 30");
        Assert.IsTrue(phone.WaitForLine("\"pin.prompt\"", PhoneTimeout), segment.Story(phone, kamailio.Output));
        string output = phone.Output;
        int cleared = output.IndexOf("\"pin.cleared\"", StringComparison.Ordinal);
        int prompt = output.IndexOf("\"pin.prompt\"", StringComparison.Ordinal);
        Assert.IsTrue(cleared >= 0 && prompt > cleared, "no clear before the prompt:\n" + output);
        StringAssert.Contains(output.Substring(cleared, prompt - cleared), "credentials-refused", output);
        StringAssert.Contains(output.Substring(cleared, prompt - cleared), "\"kept\":\"1001\"", output);
        StringAssert.Contains(output.Substring(prompt), "\"entry\":\"password\"", output);
        StringAssert.Contains(output.Substring(prompt), "Refused " + server, output);
        Assert.IsFalse(output.Contains("\"registered\"", StringComparison.Ordinal), output);
        Assert.IsTrue(phone.WaitForExit(PhoneTimeout), phone.Output);
        segment.CheckWire(phone);
    }
}
