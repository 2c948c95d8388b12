using Controller.SipDemo;

namespace Tests.Controller.SipDemo;

/// <summary>What the SIP lab says when Kamailio is missing (a lab machine that never ran tools/install-test-deps).</summary>
[TestClass]
public class KamailioElementTests
{
    [TestMethod]
    public void AMissingKamailioIsAClearErrorNamingTheInstallScript()
    {
        SipLabException error = Assert.Throws<SipLabException>(() => KamailioElement.RequireInstalled("/nonexistent/sip-demo/kamailio", KamailioElement.Kamcmd));

        StringAssert.Contains(error.Message, "Kamailio is not installed (no /nonexistent/sip-demo/kamailio)");
        StringAssert.Contains(error.Message, "run tools/install-test-deps");
    }
}
