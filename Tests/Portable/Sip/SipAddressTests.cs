using Protocol.Sip;
using Tests.Portable.Support;

namespace Tests.Portable.Sip;

[TestClass]
public class SipAddressTests
{
    [TestMethod]
    public void ParsesUrisWithUserPortParametersAndHeaders()
    {
        SipUri uri = SipUri.Parse("SIP:1001@pbx.example.com:5070;transport=TCP;lr?subject=x");
        Assert.AreEqual("sip", uri.Scheme);
        Assert.AreEqual("1001", uri.User);
        Assert.AreEqual("pbx.example.com", uri.Host);
        Assert.AreEqual(5070, uri.Port);
        Assert.AreEqual("TCP", uri.Parameters.Get("Transport"));
        Assert.AreEqual(string.Empty, uri.Parameters.Get("lr"));
        Assert.IsNull(uri.Parameters.Get("maddr"));
        Assert.AreEqual("subject=x", uri.Headers);
        Assert.AreEqual("sip:1001@pbx.example.com:5070;transport=TCP;lr?subject=x", uri.ToString());

        SipUri bare = SipUri.Parse("sips:[2001:db8::1]");
        Assert.AreEqual("[2001:db8::1]", bare.Host);
        Assert.AreEqual(-1, bare.Port);
        Assert.AreEqual(5061, bare.PortOrDefault);
        Assert.AreEqual(5060, SipUri.Parse("sip:10.0.0.1").PortOrDefault);
    }

    [TestMethod]
    public void NameAddrKeepsHeaderParametersApartFromUriParameters()
    {
        SipNameAddr quoted = SipNameAddr.Parse("\"Desk \\\"A\\\"\" <sip:1001@10.0.0.5:5060;transport=tcp>;tag=9f;expires=60");
        Assert.AreEqual("Desk \"A\"", quoted.DisplayName);
        Assert.AreEqual("tcp", quoted.Uri.Parameters.Get("transport"));
        Assert.AreEqual("9f", quoted.Tag);
        Assert.AreEqual("60", quoted.Parameters.Get("expires"));
        Assert.AreEqual("\"Desk \\\"A\\\"\" <sip:1001@10.0.0.5:5060;transport=tcp>;tag=9f;expires=60", quoted.ToString());

        SipNameAddr token = SipNameAddr.Parse("Reception <sip:100@h>");
        Assert.AreEqual("Reception", token.DisplayName);

        // In the bare form every parameter is the header's (RFC 3261 §20).
        SipNameAddr bare = SipNameAddr.Parse("sip:1001@h;tag=1");
        Assert.AreEqual("1", bare.Tag);
        Assert.AreEqual(0, bare.Uri.Parameters.Count);
    }

    [TestMethod]
    public void ViaGivesTransportSentByAndBranch()
    {
        SipVia via = SipVia.Parse("SIP/2.0/udp 10.0.0.5:5062;branch=z9hG4bKabc;rport=5062;received=10.0.0.9");
        Assert.AreEqual("UDP", via.Transport);
        Assert.AreEqual("10.0.0.5", via.Host);
        Assert.AreEqual(5062, via.Port);
        Assert.AreEqual("z9hG4bKabc", via.Branch);
        Assert.AreEqual("10.0.0.9", via.Parameters.Get("received"));
    }

    [TestMethod]
    public void MalformedAddressesAreParseErrors()
    {
        AssertThrows.ParseError(() => SipUri.Parse("tel:+4930123"));
        AssertThrows.ParseError(() => SipUri.Parse("sip:"));
        AssertThrows.ParseError(() => SipUri.Parse("sip:@h"));
        AssertThrows.ParseError(() => SipUri.Parse("sip:h:0"));
        AssertThrows.ParseError(() => SipUri.Parse("sip:h:65536"));
        AssertThrows.ParseError(() => SipUri.Parse("sip:[::1"));
        AssertThrows.ParseError(() => SipUri.Parse("sip:h;;x"));
        AssertThrows.ParseError(() => SipNameAddr.Parse("\"Name\" sip:h"));
        AssertThrows.ParseError(() => SipNameAddr.Parse("<sip:h"));
        AssertThrows.ParseError(() => SipNameAddr.Parse("<sip:h> junk"));
        AssertThrows.ParseError(() => SipVia.Parse("SIP/2.0 h"));
        AssertThrows.ParseError(() => SipVia.Parse("HTTP/1.1/TCP h"));
    }
}
