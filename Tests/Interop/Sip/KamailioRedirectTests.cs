using System;
using Protocol.Sip;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// Two Kamailio cluster elements (tools/kamailio/kamailio.cfg with WITH_REDIRECT): A answers a
/// REGISTER for a number homed on B with 302 and B's Contact, and the line registers at B; a
/// number both claim is homed on the other ends at the hop limit.
/// </summary>
[TestClass]
public class KamailioRedirectTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    [TestMethod]
    public void ANumberHomedOnTheOtherElementRegistersThereAfter302AndALoopEndsAtTheHopLimit()
    {
        using TestDirectory directory = new("kamailio-sip-redirect");
        int portA = FreePorts.Udp();
        int portB = FreePorts.Udp();
        using KamailioProcess a = new(directory.Path, portA, "^(2|9)", "sip:127.0.0.1:" + portB);
        using KamailioProcess b = new(directory.Path, portB, "^(1|9)", "sip:127.0.0.1:" + portA);
        using SipWire wire = new(directory.Path, portA, portB);

        using (SipLineDriver homedOnB = new(SipTransport.Udp, new[] { new SipServerAddress("127.0.0.1", portA) }, "2001", "3456", 60))
        {
            homedOnB.Machine.Start(homedOnB.Now);
            Assert.AreEqual("127.0.0.1:" + portB, homedOnB.WaitFor(SipRegistrationEventKind.Redirected, 0, Step).Text);
            SipRegistrationEvent registered = homedOnB.WaitFor(SipRegistrationEventKind.Registered, 0, Step);
            Assert.AreEqual("127.0.0.1:" + portB, registered.Text, homedOnB.Story);
            Assert.AreEqual("127.0.0.1", homedOnB.Machine.Target.Host);
            Assert.AreEqual(portB, homedOnB.Machine.Target.Port);
            StringAssert.Contains(b.LocationTable(), "AoR: 2001");
            Assert.IsFalse(a.LocationTable().Contains("AoR: 2001", StringComparison.Ordinal), a.LocationTable());
            int mark = homedOnB.Events.Count;
            homedOnB.Machine.Unregister(homedOnB.Now);
            Assert.AreEqual(200, homedOnB.WaitFor(SipRegistrationEventKind.Unregistered, mark, Step).StatusCode);
        }

        using (SipLineDriver looping = new(SipTransport.Udp, new[] { new SipServerAddress("127.0.0.1", portA) }, "9001", "0000", 60))
        {
            looping.Machine.Start(looping.Now);
            SipRegistrationEvent loop = looping.WaitFor(SipRegistrationEventKind.RedirectLoop, 0, Step);
            Assert.AreEqual(looping.Config.RedirectHopLimit, loop.Seconds, looping.Story);
            looping.WaitFor(SipRegistrationEventKind.BackingOff, 0, Step);
            Assert.AreEqual(SipRegistrationState.BackingOff, looping.Machine.State);
            int redirects = 0;
            foreach (SipRegistrationEvent e in looping.Events)
            {
                redirects += e.Kind == SipRegistrationEventKind.Redirected ? 1 : 0;
            }

            Assert.AreEqual(looping.Config.RedirectHopLimit, redirects, looping.Story);
        }

        string all = string.Join("\n", wire.StopAndCheck());
        StringAssert.Contains(all, "SIP/2.0 302 Moved Temporarily");
    }
}
