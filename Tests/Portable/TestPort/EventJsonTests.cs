using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.TestPort;

namespace Tests.Portable.TestPort;

/// <summary>The EVENT line's JSON (docs/test-port.md); Tests/TestPort checks it against `phone --events json` at large.</summary>
[TestClass]
public class EventJsonTests
{
    [TestMethod]
    public void WritesTheDocumentedExample()
    {
        PhoneEvent registered = new PhoneEvent("registered").With("dn", "1000").With("name", "Lab set").With("controller", "127.0.0.1:6800");
        Assert.AreEqual("{\"event\":\"registered\",\"dn\":\"1000\",\"name\":\"Lab set\",\"controller\":\"127.0.0.1:6800\"}", EventJson.Format(registered));
    }

    [TestMethod]
    public void WritesNumbersFlagsAndListsAsJson()
    {
        PhoneEvent bound = new PhoneEvent("dhcp.bound").With("leaseSeconds", 3600L).With("vlan", -1).With("verified", false).With("callServers", new string[] { "10.0.0.1:6800", "pbx" });
        Assert.AreEqual("{\"event\":\"dhcp.bound\",\"leaseSeconds\":3600,\"vlan\":-1,\"verified\":false,\"callServers\":[\"10.0.0.1:6800\",\"pbx\"]}", EventJson.Format(bound));
        Assert.AreEqual("{\"event\":\"x\",\"n\":-9223372036854775808}", EventJson.Format(new PhoneEvent("x").With("n", long.MinValue)));
    }

    [TestMethod]
    public void EscapesAsSystemTextJsonDoes()
    {
        PhoneEvent text = new PhoneEvent("display").With("text", "a\"b\\c<d>&'+`\n\u0001\u00e9");
        Assert.AreEqual("{\"event\":\"display\",\"text\":\"a\\u0022b\\\\c\\u003Cd\\u003E\\u0026\\u0027\\u002B\\u0060\\n\\u0001\\u00E9\"}", EventJson.Format(text));
    }
}
