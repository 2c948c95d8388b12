using Protocol.Common;
using Protocol.Sip;
using Tests.Portable.Support;

namespace Tests.Portable.Sip;

[TestClass]
public class SipMessageParserTests
{
    private static SipMessage Parse(string text)
    {
        byte[] bytes = Ascii.GetBytes(text);
        return SipMessageParser.Parse(bytes, 0, bytes.Length);
    }

    private static void Refused(string text)
    {
        AssertThrows.ParseError(() => Parse(text));
    }

    [TestMethod]
    public void ReadsARequestWithCompactFormsAnyCaseAndFolding()
    {
        SipMessage message = Parse(
            "OPTIONS sip:1001@10.0.0.5:5060 SIP/2.0\r\n" +
            "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n" +
            "VIA: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2, SIP/2.0/TCP 10.0.0.3;branch=z9hG4bK3\r\n" +
            "f: <sip:ping@10.0.0.1>;tag=a\r\n" +
            "t: <sip:1001@10.0.0.5>\r\n" +
            "i: abc@10.0.0.1\r\n" +
            "cseq: 7\r\n" +
            "   OPTIONS\r\n" +
            "l: 0\r\n\r\n");
        Assert.IsTrue(message.IsRequest);
        Assert.AreEqual("OPTIONS", message.Method);
        Assert.AreEqual("sip:1001@10.0.0.5:5060", message.RequestUri);
        Assert.AreEqual("abc@10.0.0.1", message.Get("Call-ID"));
        Assert.AreEqual("abc@10.0.0.1", message.Get("call-id"));
        Assert.AreEqual("abc@10.0.0.1", message.Get("i"));
        Assert.AreEqual(7, message.CSeqNumber());
        Assert.AreEqual("OPTIONS", message.CSeqMethod());
        Assert.AreEqual(2, message.Count("Via"));
        string[] vias = message.GetList("v");
        Assert.AreEqual(3, vias.Length);
        Assert.AreEqual("SIP/2.0/TCP 10.0.0.3;branch=z9hG4bK3", vias[2]);
        Assert.AreEqual(0, message.Body.Length);
    }

    [TestMethod]
    public void ReadsAResponseWithABodyByContentLengthAndDropsTheRest()
    {
        SipMessage message = Parse("SIP/2.0 401 Unauthorized\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
        Assert.IsFalse(message.IsRequest);
        Assert.AreEqual(401, message.StatusCode);
        Assert.AreEqual("Unauthorized", message.ReasonPhrase);
        Assert.AreEqual("hello", Ascii.GetPrintableString(message.Body, 0, message.Body.Length));
    }

    [TestMethod]
    public void BareLineFeedsAndLeadingBlankLinesAreTolerated()
    {
        SipMessage message = Parse("\r\n\r\nSIP/2.0 200 OK\nCall-ID: x\n\n");
        Assert.AreEqual(200, message.StatusCode);
        Assert.AreEqual("x", message.Get("Call-ID"));
    }

    [TestMethod]
    public void ContactsSplitAtCommasOutsideQuotesAndBrackets()
    {
        SipMessage message = Parse("SIP/2.0 200 OK\r\nContact: \"Smith, J\" <sip:a@h;x=1,2>;expires=60, <sip:b@h>\r\nm: sip:c@h\r\n\r\n");
        string[] contacts = message.GetList("Contact");
        Assert.AreEqual(3, contacts.Length);
        Assert.AreEqual("\"Smith, J\" <sip:a@h;x=1,2>;expires=60", contacts[0]);
        Assert.AreEqual("sip:c@h", contacts[2]);
    }

    [TestMethod]
    public void EncodeWritesContentLengthAndRoundTrips()
    {
        SipMessage message = SipMessage.Request("REGISTER", "sip:example.com");
        message.Add("Call-ID", "1@h").Add("Content-Length", "999");
        message.Body = Ascii.GetBytes("body");
        byte[] bytes = message.Encode();
        byte[] expected = Ascii.GetBytes("REGISTER sip:example.com SIP/2.0\r\nCall-ID: 1@h\r\nContent-Length: 4\r\n\r\nbody");
        Assert.AreEqual(Ascii.ToHex(expected, 0, expected.Length), Ascii.ToHex(bytes, 0, bytes.Length));
        SipMessage again = SipMessageParser.Parse(bytes, 0, bytes.Length);
        Assert.AreEqual("1@h", again.Get("call-id"));
        Assert.AreEqual(4, again.Body.Length);
    }

    [TestMethod]
    public void MalformedMessagesAreParseErrors()
    {
        Refused(string.Empty);
        Refused("SIP/2.0 200 OK\r\nCall-ID: x\r\n");
        Refused("SIP/2.0 99 Low\r\n\r\n");
        Refused("SIP/2.0 2000 OK\r\n\r\n");
        Refused("REGISTER sip:x SIP/3.0\r\n\r\n");
        Refused("REG ISTER sip:x SIP/2.0\r\n\r\n");
        Refused("SIP/2.0 200 OK\r\nNoColon\r\n\r\n");
        Refused("SIP/2.0 200 OK\r\n continued\r\n\r\n");
        Refused("SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nshort");
        Refused("SIP/2.0 200 OK\r\nContent-Length: x\r\n\r\n");
        Refused("SIP/2.0 200 OK\r\nContent-Length: 0\r\nl: 0\r\n\r\n");
        Refused("SIP/2.0 200 OK\r\nA: b\u0001c\r\n\r\n");
        Refused("SIP/2.0 200 OK\r\nBad Name: v\r\n\r\n");
    }

    [TestMethod]
    public void LimitsAreEnforced()
    {
        string many = "SIP/2.0 200 OK\r\n";
        for (int i = 0; i <= SipMessageParser.MaxHeaders; i++)
        {
            many += "X-" + i.ToString() + ": v\r\n";
        }

        Refused(many + "\r\n");
        Refused("SIP/2.0 200 OK\r\nX: " + new string('a', SipMessageParser.MaxLineLength) + "\r\n\r\n");
        Refused("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n" + new string('a', SipMessageParser.MaxMessageLength));
        Assert.AreEqual(200, Parse("SIP/2.0 200 OK\r\nX: " + new string('a', 1000) + "\r\n\r\n").StatusCode);
    }
}
