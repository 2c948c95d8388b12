using System;
using System.Globalization;
using Protocol.Sip;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// The registration machine against SIPp's scripted UAS scenarios (tools/sipp/) for the branches
/// Kamailio does not produce on demand. Short SIP timers (T1 50 ms, T2 400 ms) keep timer F at 3.2 s.
/// </summary>
[TestClass]
public class SippRegistrarTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    private static SipLineDriver Line(int port, int expires)
    {
        return new SipLineDriver(SipTransport.Udp, new[] { new SipServerAddress("127.0.0.1", port) }, "1001", "1234", expires, config =>
        {
            config.Timers = new SipTimers(50, 400, 500);
        });
    }

    private static int Count(SipLineDriver line, SipRegistrationEventKind kind)
    {
        int count = 0;
        foreach (SipRegistrationEvent e in line.Events)
        {
            count += e.Kind == kind ? 1 : 0;
        }

        return count;
    }

    [TestMethod]
    public void ASecondChallengeWithStaleIsAnsweredWithTheNewNonce()
    {
        using TestDirectory directory = new("sipp-sip-stale");
        int port = FreePorts.Udp();
        using SippUas sipp = new(directory.Path, "stale-challenge.xml", port);
        using SipWire wire = new(directory.Path, port);
        using SipLineDriver line = Line(port, 60);
        line.Machine.Start(line.Now);
        line.WaitFor(SipRegistrationEventKind.Registered, 0, Step);
        Assert.AreEqual(0, sipp.WaitForExit(Step), "the scenario's nonce checks failed:\n" + sipp.Output);
        Assert.AreEqual(2, Count(line, SipRegistrationEventKind.Challenged), line.Story);
        Assert.AreEqual(1, line.Events[1].Seconds, "the second challenge is stale: " + line.Story);
        Assert.AreEqual(0, Count(line, SipRegistrationEventKind.CredentialsRefused), line.Story);
        wire.StopAndCheck();
    }

    [TestMethod]
    public void IntervalTooBriefIsRetriedWithMinExpires()
    {
        using TestDirectory directory = new("sipp-sip-423");
        int port = FreePorts.Udp();
        using SippUas sipp = new(directory.Path, "min-expires.xml", port);
        using SipWire wire = new(directory.Path, port);
        using SipLineDriver line = Line(port, 30);
        line.Machine.Start(line.Now);
        Assert.AreEqual(120, line.WaitFor(SipRegistrationEventKind.IntervalTooBrief, 0, Step).Seconds);
        Assert.AreEqual(120, line.WaitFor(SipRegistrationEventKind.Registered, 0, Step).Seconds, line.Story);
        Assert.AreEqual(0, sipp.WaitForExit(Step), "the retry did not ask for 120 s:\n" + sipp.Output);
        StringAssert.Contains(string.Join("\n", wire.StopAndCheck()), "SIP/2.0 423 Interval Too Brief");
    }

    [TestMethod]
    public void AServerErrorIsRetriedAfterTheBackOff()
    {
        using TestDirectory directory = new("sipp-sip-500");
        int port = FreePorts.Udp();
        using SippUas sipp = new(directory.Path, "error-then-ok.xml", port);
        using SipWire wire = new(directory.Path, port);
        using SipLineDriver line = Line(port, 60);
        line.Machine.Start(line.Now);
        Assert.AreEqual(500, line.WaitFor(SipRegistrationEventKind.ServerFailed, 0, Step).StatusCode);
        long failedAt = line.Now;
        line.WaitFor(SipRegistrationEventKind.Registered, 0, Step);
        Assert.IsTrue(line.Now - failedAt >= line.Config.BackoffBaseMs / 2, "retried before the back-off: " + (line.Now - failedAt));
        Assert.AreEqual(0, sipp.WaitForExit(Step), sipp.Output);
        wire.StopAndCheck();
    }

    [TestMethod]
    public void RetryAfterIsWaitedOut()
    {
        using TestDirectory directory = new("sipp-sip-503");
        int port = FreePorts.Udp();
        using SippUas sipp = new(directory.Path, "retry-after.xml", port);
        using SipWire wire = new(directory.Path, port);
        using SipLineDriver line = Line(port, 60);
        line.Machine.Start(line.Now);
        Assert.AreEqual(1, line.WaitFor(SipRegistrationEventKind.BackingOff, 0, Step).Seconds, line.Story);
        long waitingSince = line.Now;
        line.WaitFor(SipRegistrationEventKind.Registered, 0, Step);
        Assert.IsTrue(line.Now - waitingSince >= 900, "Retry-After: 1 not waited out: " + (line.Now - waitingSince));
        Assert.AreEqual(0, sipp.WaitForExit(Step), sipp.Output);
        StringAssert.Contains(string.Join("\n", wire.StopAndCheck()), "SIP/2.0 503 Service Unavailable");
    }

    [TestMethod]
    public void NoAnswerRetransmitsOnTimerEUntilTimerF()
    {
        using TestDirectory directory = new("sipp-sip-silent");
        int port = FreePorts.Udp();
        using SippUas sipp = new(directory.Path, "no-answer.xml", port);
        using SipWire wire = new(directory.Path, port);
        using SipLineDriver line = Line(port, 60);
        line.Machine.Start(line.Now);
        SipRegistrationEvent failed = line.WaitFor(SipRegistrationEventKind.ServerFailed, 0, Step);
        Assert.AreEqual(0, failed.StatusCode, "a timeout, not a status");
        Assert.IsTrue(line.Now >= 64 * 50, "timer F is 64*T1");
        Assert.AreEqual(10, line.Machine.Retransmissions);

        // On the wire: 11 REGISTERs of the first transaction, gaps 50, 100, 200, then T2 = 400 ms.
        string[] messages = wire.StopAndCheck();
        double[] times = new double[11];
        for (int i = 0; i < 11; i++)
        {
            StringAssert.Contains(messages[i], "REGISTER sip:");
            string seconds = messages[i].Substring(messages[i].IndexOf(' ') + 1, messages[i].IndexOf(':') - messages[i].IndexOf(' ') - 1);
            times[i] = double.Parse(seconds, CultureInfo.InvariantCulture) * 1000;
        }

        double[] expected = { 50, 100, 200, 400, 400, 400, 400, 400, 400, 400 };
        for (int i = 0; i < expected.Length; i++)
        {
            double gap = times[i + 1] - times[i];
            Assert.IsTrue(gap >= expected[i] - 5 && gap <= expected[i] + 150, "gap " + i + " is " + gap + " ms, expected " + expected[i] + ":\n" + string.Join("\n", messages));
        }
    }

    [TestMethod]
    public void ARedirectLoopEndsAtTheHopLimit()
    {
        using TestDirectory directory = new("sipp-sip-302");
        int port = FreePorts.Udp();
        using SippUas sipp = new(directory.Path, "redirect-loop.xml", port);
        using SipWire wire = new(directory.Path, port);
        using SipLineDriver line = Line(port, 60);
        line.Machine.Start(line.Now);
        Assert.AreEqual(line.Config.RedirectHopLimit, line.WaitFor(SipRegistrationEventKind.RedirectLoop, 0, Step).Seconds, line.Story);
        Assert.AreEqual(line.Config.RedirectHopLimit, Count(line, SipRegistrationEventKind.Redirected));
        Assert.AreEqual(0, sipp.WaitForExit(Step), sipp.Output);
        StringAssert.Contains(string.Join("\n", wire.StopAndCheck()), "SIP/2.0 302 Moved Temporarily");
    }
}
