using System;
using System.IO;
using System.Text;
using Protocol.Sip;
using Tests.Support;

namespace Tests.Documentation;

/// <summary>
/// docs/sip.md's byte examples are the bytes the code sends and accepts: each block marked
/// &lt;!-- example: name --&gt; is compared with what Protocol/Sip builds, or parsed as the phone would.
/// </summary>
[TestClass]
public class SipDocumentationTests
{
    private const string CallId = "5f1c2b7e9a04d3c8@192.0.2.10";
    private const string FromTag = "3a9d0c41";
    private const string Challenge = "Digest realm=\"phonefirmware.test\", nonce=\"6a1e3f0b2c\", opaque=\"0f9e\", qop=\"auth\", algorithm=MD5";

    private static SipRegistrationConfig Config()
    {
        SipRegistrationConfig config = new(new[] { new SipServerAddress("192.0.2.1", 5060) }, "phonefirmware.test", "1001", "192.0.2.10", 5060)
        {
            Password = "1234",
            DisplayName = "Front Desk",
            ExpiresSeconds = 3600,
        };
        return config;
    }

    /// <summary>The example's text with CRLF line ends and the empty line that ends the headers, as on the wire.</summary>
    private static string Example(string name)
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "sip.md"));
        string marker = "<!-- example: " + name + " -->";
        int at = doc.IndexOf(marker, StringComparison.Ordinal);
        Assert.IsTrue(at >= 0, "docs/sip.md has no example " + name);
        int start = doc.IndexOf("```\n", at, StringComparison.Ordinal) + 4;
        int end = doc.IndexOf("```\n", start, StringComparison.Ordinal);
        return doc.Substring(start, end - start).TrimEnd('\n').Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\n";
    }

    private static string Text(byte[] bytes)
    {
        return Encoding.Latin1.GetString(bytes);
    }

    private static SipMessage Parse(string text)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        return SipMessageParser.Parse(bytes, 0, bytes.Length);
    }

    [TestMethod]
    public void TheFirstRegisterIsWhatTheCodeSends()
    {
        SipMessage register = SipRegisterRequest.Build(Config(), "sip:phonefirmware.test", CallId, FromTag, 1, "z9hG4bK1d2c3b4a00000001", 3600);
        Assert.AreEqual(Example("register"), Text(register.Encode()));
    }

    [TestMethod]
    public void TheChallengeIsAcceptedAndTheAuthenticatedRegisterIsWhatTheCodeSends()
    {
        SipMessage unauthorized = Parse(Example("challenge"));
        Assert.AreEqual(401, unauthorized.StatusCode);
        DigestChallenge challenge = DigestChallenge.Parse(unauthorized.Required("WWW-Authenticate"));
        Assert.AreEqual(Challenge, unauthorized.Required("WWW-Authenticate"));
        SipMessage register = SipRegisterRequest.Build(Config(), "sip:phonefirmware.test", CallId, FromTag, 2, "z9hG4bK1d2c3b4a00000002", 3600);
        register.Add("Authorization", DigestAuthorization.Header(challenge, "1001", "1234", "REGISTER", "sip:phonefirmware.test", "7c1e9d22", 1));
        Assert.AreEqual(Example("authenticated-register"), Text(register.Encode()));
    }

    [TestMethod]
    public void TheOkGrantsTheExpiryOfOurContact()
    {
        SipMessage ok = Parse(Example("ok"));
        Assert.AreEqual(1800, SipGrantedExpiry.Of(ok, Config(), 3600));
    }

    [TestMethod]
    public void OptionsIsAnsweredAsDocumented()
    {
        SipMessage answer = SipRequestAnswerer.Answer(Parse(Example("options")), FromTag)!;
        Assert.AreEqual(Example("options-answer"), Text(answer.Encode()));
    }

    [TestMethod]
    public void TheRemovalIsWhatTheCodeSends()
    {
        SipMessage register = SipRegisterRequest.Build(Config(), "sip:phonefirmware.test", CallId, FromTag, 5, "z9hG4bK1d2c3b4a00000005", 0);
        Assert.AreEqual(Example("unregister"), Text(register.Encode()));
    }

    [TestMethod]
    public void TheConfigurationExampleGivesTheDocumentedSettings()
    {
        byte[] bytes = Protocol.Common.Ascii.GetBytes(Example("config").Replace("\r\n", "\n", StringComparison.Ordinal));
        SipConfigFile file = SipConfigFile.Parse(bytes, 0, bytes.Length);
        SipPhoneSettings settings = SipPhoneSettings.From(file);
        Assert.AreEqual("192.0.2.1", settings.RegistrarHost);
        Assert.AreEqual(SipTransport.Udp, settings.Transport);
        Assert.AreEqual("1001", settings.User);
        Assert.AreEqual("1234", settings.Password);
        Assert.AreEqual("Front Desk", settings.DisplayName);
        Assert.AreEqual(3600, settings.RegistrationPeriod);
        Assert.AreEqual(1, file.MalformedLines);
    }
}
