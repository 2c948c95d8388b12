using PhoneFirmware.Core.Registration.Sip;
using Protocol.Sip;
using Tests.Portable.Support;

namespace Tests.Portable.Registration;

/// <summary>The port a SIP line names in its Via and Contact (<see cref="SipLink.LocalPort"/>).</summary>
[TestClass]
public class SipLinkPortTests
{
    [TestMethod]
    public void AStreamLineAskedForAnyPortNames5060NotPortZero()
    {
        SipLink link = new SipLink(new ScriptedNetwork(), SipTransport.Tcp);
        link.Open(0);

        Assert.AreEqual(5060, link.LocalPort);
    }

    [TestMethod]
    public void AStreamLineNamesThePortAskedFor()
    {
        SipLink link = new SipLink(new ScriptedNetwork(), SipTransport.Tcp);
        link.Open(5070);

        Assert.AreEqual(5070, link.LocalPort);
    }

    [TestMethod]
    public void AUdpLineAskedForAnyPortNamesTheSocketsPort()
    {
        ScriptedNetwork network = new ScriptedNetwork();
        SipLink link = new SipLink(network, SipTransport.Udp);
        link.Open(0);

        Assert.AreEqual(network.Socket(0).LocalPort, link.LocalPort);
        Assert.AreNotEqual(0, link.LocalPort);
    }
}
