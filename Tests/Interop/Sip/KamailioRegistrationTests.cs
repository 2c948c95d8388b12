using System;
using System.Text.RegularExpressions;
using Protocol.Sip;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// The portable registration machine against Kamailio 5.6 with digest authentication: register,
/// refresh past one expiry, unregister; `kamcmd ul.dump` shows the binding and then its removal;
/// tshark decodes every message as SIP. Over UDP and TCP.
/// </summary>
[TestClass]
public class KamailioRegistrationTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    [TestMethod]
    public void RegistersRefreshesAndUnregistersOverUdp()
    {
        Run(SipTransport.Udp);
    }

    [TestMethod]
    public void RegistersRefreshesAndUnregistersOverTcp()
    {
        Run(SipTransport.Tcp);
    }

    private static void Run(SipTransport transport)
    {
        using TestDirectory directory = new("kamailio-sip-" + transport);
        int port = FreePorts.Udp();
        using KamailioProcess kamailio = new(directory.Path, port);
        using SipWire wire = new(directory.Path, port);
        using SipLineDriver line = new(transport, new[] { new SipServerAddress("127.0.0.1", port) }, "1001", "1234", 4);

        line.Machine.Start(line.Now);
        SipRegistrationEvent registered = line.WaitFor(SipRegistrationEventKind.Registered, 0, Step);
        long registeredAt = line.Now;
        int mark = line.Events.Count;
        Assert.AreEqual(4, registered.Seconds, line.Story);
        Assert.AreEqual(401, line.WaitFor(SipRegistrationEventKind.Challenged, 0, Step).StatusCode);
        string binding = "Address: sip:1001@127.0.0.1:" + line.LocalPort + (transport == SipTransport.Tcp ? ";transport=tcp" : string.Empty);
        StringAssert.Contains(kamailio.LocationTable(), binding);

        // Refreshed at half of 4 s: run past the first expiry, with at least two refreshes granted.
        line.WaitFor(SipRegistrationEventKind.Refreshed, mark, Step);
        Assert.IsTrue(line.RunUntil(() => line.Now - registeredAt >= 5000, Step));
        int refreshes = 0;
        for (int i = mark; i < line.Events.Count; i++)
        {
            refreshes += line.Events[i].Kind == SipRegistrationEventKind.Refreshed ? 1 : 0;
            Assert.AreNotEqual(SipRegistrationEventKind.ServerFailed, line.Events[i].Kind, line.Story);
        }

        Assert.IsTrue(refreshes >= 2, line.Story);
        string table = kamailio.LocationTable();
        StringAssert.Contains(table, binding);
        Assert.AreEqual(1, Regex.Matches(table, "AoR: 1001").Count, table);

        mark = line.Events.Count;
        line.Machine.Unregister(line.Now);
        Assert.AreEqual(200, line.WaitFor(SipRegistrationEventKind.Unregistered, mark, Step).StatusCode, line.Story);
        Assert.IsFalse(kamailio.LocationTable().Contains("AoR: 1001", StringComparison.Ordinal), kamailio.LocationTable());

        string[] messages = wire.StopAndCheck();
        string all = string.Join("\n", messages);
        Assert.IsTrue(messages.Length >= 8, all);
        StringAssert.Contains(all, "REGISTER sip:" + KamailioProcess.Realm + " SIP/2.0");
        StringAssert.Contains(all, "SIP/2.0 401 Unauthorized");
        StringAssert.Contains(all, "SIP/2.0 200 OK");
    }
}
