using Protocol.Sip;
using Tests.Portable.Support;

namespace Tests.Portable.Sip;

[TestClass]
public class DigestTests
{
    // RFC 2617 §3.5's example.
    private const string Rfc2617Challenge = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    [TestMethod]
    public void ParsesTheRfc2617Challenge()
    {
        DigestChallenge challenge = DigestChallenge.Parse(Rfc2617Challenge);
        Assert.AreEqual("testrealm@host.com", challenge.Realm);
        Assert.AreEqual("dcd98b7102dd2f0e8b11d0f600bfb0c093", challenge.Nonce);
        Assert.AreEqual("5ccc069c403ebaf9f0171e9517f40e41", challenge.Opaque);
        Assert.IsTrue(challenge.OffersQopAuth);
        Assert.IsFalse(challenge.Stale);
        Assert.IsTrue(challenge.IsSupported);
    }

    [TestMethod]
    public void AnswersTheRfc2617ExampleWithItsPublishedResponse()
    {
        DigestChallenge challenge = DigestChallenge.Parse(Rfc2617Challenge);
        string response = DigestAuthorization.Response(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1);
        Assert.AreEqual("6629fae49393a05397450978507c4ef1", response);
    }

    [TestMethod]
    public void WithoutQopTheResponseIsRfc2069s()
    {
        // H(H(user:realm:pw):nonce:H(method:uri)), computed by hand from the same pieces.
        DigestChallenge challenge = DigestChallenge.Parse("Digest realm=\"example.com\", nonce=\"abc\"");
        string ha1 = Md5.HexOf("1001:example.com:1234");
        string ha2 = Md5.HexOf("REGISTER:sip:example.com");
        Assert.AreEqual(Md5.HexOf(ha1 + ":abc:" + ha2), DigestAuthorization.Response(challenge, "1001", "1234", "REGISTER", "sip:example.com", "x", 1));
        string header = DigestAuthorization.Header(challenge, "1001", "1234", "REGISTER", "sip:example.com", "x", 1);
        Assert.IsTrue(header.IndexOf("qop") < 0, header);
        Assert.IsTrue(header.IndexOf("opaque") < 0, header);
    }

    [TestMethod]
    public void TheHeaderCarriesOpaqueQopNcAndCnonce()
    {
        DigestChallenge challenge = DigestChallenge.Parse(Rfc2617Challenge);
        string header = DigestAuthorization.Header(challenge, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1);
        Assert.AreEqual(
            "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001, cnonce=\"0a4f113b\"",
            header);
    }

    [TestMethod]
    public void StaleAlgorithmAndCaseAreRead()
    {
        DigestChallenge challenge = DigestChallenge.Parse("digest REALM=\"r\",NONCE=\"n2\", stale=TRUE, algorithm=MD5-sess, qop=\"auth-int\"");
        Assert.IsTrue(challenge.Stale);
        Assert.IsFalse(challenge.OffersQopAuth);
        Assert.IsTrue(challenge.IsSupported);
        Assert.IsFalse(DigestChallenge.Parse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256").IsSupported);
        Assert.IsFalse(DigestChallenge.Parse("Digest realm=\"r\", nonce=\"n\", stale=false").Stale);
    }

    [TestMethod]
    public void NonceCountIsEightHexDigits()
    {
        Assert.AreEqual("00000001", DigestAuthorization.NonceCount(1));
        Assert.AreEqual("0000010a", DigestAuthorization.NonceCount(266));
    }

    [TestMethod]
    public void MalformedChallengesAreParseErrors()
    {
        AssertThrows.ParseError(() => DigestChallenge.Parse("Basic realm=\"r\""));
        AssertThrows.ParseError(() => DigestChallenge.Parse("Digest nonce=\"n\""));
        AssertThrows.ParseError(() => DigestChallenge.Parse("Digest realm=\"r\", nonce"));
        AssertThrows.ParseError(() => DigestChallenge.Parse("Digest realm=\"r, nonce=\"n\""));
    }
}
