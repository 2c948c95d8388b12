using Controller.Dhcp;

namespace Tests.Controller;

/// <summary>
/// The DHCP host's count of requests left without reply: by reason (the text before ':'), with
/// one example each, and one summary line at most per <see cref="DhcpDropTally.Interval"/>.
/// </summary>
[TestClass]
public sealed class DhcpDropTallyTests
{
    [TestMethod]
    public void DropsAreCountedByReasonAndSummarisedAtMostOncePerInterval()
    {
        DhcpDropTally tally = new();
        Assert.IsNull(tally.TakeReport(0, 0), "nothing dropped, nothing to say");

        tally.Count("malformed: missing DHCP magic cookie");
        tally.Count("malformed: option 12 length 200 runs past the message");
        tally.Count("oversize: more than 4096 bytes");
        tally.Count("release");
        Assert.AreEqual("dhcp: no reply to 4 requests: malformed 2 (e.g. missing DHCP magic cookie), oversize 1 (e.g. more than 4096 bytes), release 1; 4 since start", tally.TakeReport(1_000, 0));

        tally.Count("malformed: op 7 is neither request nor reply");
        long interval = (long)DhcpDropTally.Interval.TotalMilliseconds;
        Assert.IsNull(tally.TakeReport(1_000 + interval - 1, 0), "a second line within the interval");
        Assert.AreEqual("dhcp: no reply to 1 requests in the last 5.0 s: malformed 1 (e.g. op 7 is neither request nor reply); 5 since start; offers withdrawn unclaimed (pending-offer limit): 3 since start", tally.TakeReport(1_000 + interval, 3));
        Assert.IsNull(tally.TakeReport(1_000 + (3 * interval), 3), "nothing new since the last line");
        Assert.AreEqual(3L, tally.Total("malformed"));
        Assert.AreEqual(1L, tally.Total("oversize"));
    }
}
