using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// The `phone` process in SIP mode (namespaces pf-sipp-phone-*, DHCP from dnsmasq, files from
/// tftpd-hpa: <see cref="SipPhoneSegment"/>) against SIPp scripted as its registrar
/// (tools/sipp/) at the address the files name, for the branches Kamailio does not produce on
/// demand, over UDP and over TCP. The phone runs with the default SIP timers (T1 500 ms, timer F
/// 32 s), so all twelve runs start together when the class starts and each test checks its run:
/// the phone's events from the action's position on, SIPp's exit code and message trace, and
/// the capture on the phone's veth (every message SIP, none malformed, as many as SIPp traced).
/// </summary>
[TestClass]
public sealed class SippPhoneTests
{
    private const string Account = "sip line1 user name: 1001\nsip line1 password: 1234\nsip line1 display name: Front Desk\nsip line1 registration period: 30\n";
    private static readonly Dictionary<string, Task<SippPhoneRun>> Runs = new();

    [ClassInitialize]
    public static void StartEveryRun(TestContext context)
    {
        foreach (string transport in new[] { "udp", "tcp" })
        {
            Start("stale-challenge.xml", transport, "registered", 30);
            Start("min-expires.xml", transport, "registered", 30);
            Start("error-then-ok.xml", transport, "registered", 60);
            Start("retry-after.xml", transport, "registered", 30);
            Start("no-answer.xml", transport, "registered", 90);
            Start("redirect-loop.xml", transport, "callserver.backoff", 30);
        }
    }

    [ClassCleanup]
    public static void StopEveryRun()
    {
        foreach (Task<SippPhoneRun> run in Runs.Values)
        {
            try
            {
                run.Wait();
            }
            catch (AggregateException)
            {
                // reported by its test
            }
        }
    }

    [TestMethod]
    [DataRow("udp")]
    [DataRow("tcp")]
    public void ASecondChallengeWithStaleIsAnsweredWithTheNewNonceWithoutAPrompt(string transport)
    {
        SippPhoneRun run = Finished("stale-challenge.xml", transport);
        int at = run.After(0, "sip.challenge", "\"seconds\":0");
        at = run.After(at, "sip.challenge", "\"seconds\":1");
        run.After(at, "registered", "\"controller\":\"" + run.Server + ":5060\"");
        run.Never("pin.prompt");
        run.Never("pin.cleared");
        run.ExpectWire("REGISTER", "401", "REGISTER", "401", "REGISTER", "200");
    }

    [TestMethod]
    [DataRow("udp")]
    [DataRow("tcp")]
    public void IntervalTooBriefIsRetriedWithMinExpires(string transport)
    {
        SippPhoneRun run = Finished("min-expires.xml", transport);
        int at = run.After(0, "sip.interval", "\"seconds\":120");
        run.After(at, "registered", "\"dn\":\"1001\"");
        List<SipWireFrame> messages = run.ExpectWire("REGISTER", "423", "REGISTER", "200");
        Assert.AreEqual("30", messages[0].Expires, run.Story);
        Assert.AreEqual("120", messages[2].Expires, run.Story);
    }

    [TestMethod]
    [DataRow("udp")]
    [DataRow("tcp")]
    public void AServerErrorIsRetriedAfterTheBackOff(string transport)
    {
        SippPhoneRun run = Finished("error-then-ok.xml", transport);
        int at = run.After(0, "callserver.unreachable", "\"reason\":\"status 500\"");
        at = run.After(at, "callserver.backoff", "\"milliseconds\"");
        int waited = run.Events[at].GetProperty("milliseconds").GetInt32();
        Assert.IsTrue(waited >= 15000 && waited <= 30000, "RFC 5626's first back-off is drawn from 15-30 s: " + waited + "\n" + run.Story);
        at = run.After(at, "display", "Retry in");
        run.After(at, "registered", "\"dn\":\"1001\"");
        List<SipWireFrame> messages = run.ExpectWire("REGISTER", "500", "REGISTER", "200");
        double gap = messages[2].Seconds - messages[1].Seconds;
        // The wait counts from the step that read the 500, which on a loaded machine can start a little before it arrived.
        Assert.IsTrue(gap >= (waited / 1000.0) - 0.2 && gap < (waited / 1000.0) + 5, "retried " + gap + " s after the 500, the back-off was " + waited + " ms\n" + run.Story);
    }

    [TestMethod]
    [DataRow("udp")]
    [DataRow("tcp")]
    public void RetryAfterOfA503IsWaitedOut(string transport)
    {
        SippPhoneRun run = Finished("retry-after.xml", transport);
        int at = run.After(0, "callserver.unreachable", "\"reason\":\"status 503\"");
        at = run.After(at, "callserver.backoff", "\"milliseconds\":1000");
        run.After(at, "registered", "\"dn\":\"1001\"");
        List<SipWireFrame> messages = run.ExpectWire("REGISTER", "503", "REGISTER", "200");
        double gap = messages[2].Seconds - messages[1].Seconds;
        Assert.IsTrue(gap >= 0.8 && gap < 5, "Retry-After: 1 but retried after " + gap + " s\n" + run.Story);
    }

    [TestMethod]
    [DataRow("udp")]
    [DataRow("tcp")]
    public void NoAnswerRetransmitsOnTimerEUntilTimerFThenBacksOff(string transport)
    {
        SippPhoneRun run = Finished("no-answer.xml", transport);
        int at = run.After(0, "callserver.unreachable", "\"reason\":\"timeout\"");
        at = run.After(at, "callserver.backoff", "\"milliseconds\"");
        double waited = run.Events[at].GetProperty("milliseconds").GetInt32() / 1000.0;
        run.After(at, "registered", "\"dn\":\"1001\"");

        // The REGISTERs of the timed-out transaction, then the new one and its 200. How many timer E
        // sent before F depends on how late the machine woke the phone (lateness adds up), so
        // TimerESchedule bounds the count by the measured lag; over TCP there is one.
        int sent = run.Frames.FindAll(f => f.FirstLines.Length > 0 && f.FirstLines[0].StartsWith("REGISTER ", StringComparison.Ordinal)).Count - 1;
        string[] expected = new string[Math.Max(sent, 1) + 2];
        Array.Fill(expected, "REGISTER");
        expected[^1] = "200";
        List<SipWireFrame> messages = run.ExpectWire(expected);
        if (transport == "udp")
        {
            List<double> sends = messages.GetRange(0, sent).ConvertAll(m => m.Seconds);
            string? broken = TimerESchedule.Check(sends, run.LagSeconds);
            Assert.IsNull(broken, broken + "\n" + run.Story);
        }
        else
        {
            Assert.AreEqual(1, sent, "nothing is retransmitted over TCP:\n" + run.Story);
        }

        // Over TCP nothing is retransmitted, but timer F still ends the transaction after 32 s; then
        // the back-off. Both count from the step that built the REGISTER (over TCP, before the
        // connection), which on a loaded machine starts a little before the frames leave; timer F's
        // wake-up and the back-off's can each be late by the lag.
        double lag = run.LagSeconds;
        double retried = messages[sent].Seconds - messages[0].Seconds;
        Assert.IsTrue(retried >= TimerESchedule.TimerF + waited - 0.6 - lag && retried < TimerESchedule.TimerF + waited + 3 + (2 * lag), "the new REGISTER came " + retried + " s after the first, timer F is 32 s and the back-off " + waited + " s (scheduling lag " + lag + " s)\n" + run.Story);
    }

    [TestMethod]
    [DataRow("udp")]
    [DataRow("tcp")]
    public void ARedirectLoopEndsAtTheHopLimitSayingSo(string transport)
    {
        SippPhoneRun run = Finished("redirect-loop.xml", transport);
        int at = 0;
        for (int hop = 1; hop <= 3; hop++)
        {
            at = run.After(at, "redirect", "\"hops\":" + hop.ToString(CultureInfo.InvariantCulture));
        }

        at = run.After(at, "redirect.limit", "\"hops\":3");
        at = run.After(at, "callserver.backoff", "\"cause\":\"redirect-loop\"");
        at = run.After(at, "display", "\"text\":\"Redirect loop\"");
        run.After(at, "display", "Retry in");
        run.Never("registered");
        run.ExpectWire("REGISTER", "302", "REGISTER", "302", "REGISTER", "302", "REGISTER", "302");
    }

    private static void Start(string scenario, string transport, string exitAfter, int timeoutSeconds)
    {
        Runs[scenario + transport] = Task.Run(() => SippPhoneRun.Run(scenario, transport, Account, exitAfter, timeoutSeconds));
    }

    private static SippPhoneRun Finished(string scenario, string transport)
    {
        SippPhoneRun run = Runs[scenario + transport].GetAwaiter().GetResult();
        Assert.AreEqual(0, run.PhoneExit, "the phone did not reach its event:\n" + run.Story);
        Assert.AreEqual(0, run.SippExit, "SIPp's scenario failed:\n" + run.Story);
        return run;
    }
}
