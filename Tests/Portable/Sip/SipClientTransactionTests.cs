using Protocol.Common;
using Protocol.Sip;

namespace Tests.Portable.Sip;

[TestClass]
public class SipClientTransactionTests
{
    private static readonly byte[] Request = Ascii.GetBytes("REGISTER sip:h SIP/2.0\r\n\r\n");

    /// <summary>Steps the transaction from deadline to deadline and returns the times it sent at, until it ends or <paramref name="until"/>.</summary>
    private static string SendTimes(SipClientTransaction transaction, long until)
    {
        string times = string.Empty;
        long now = 0;
        while (now <= until && transaction.State != SipTransactionState.Terminated)
        {
            if (transaction.Poll(now) != null)
            {
                times += (times.Length == 0 ? string.Empty : ",") + now.ToString();
                continue;
            }

            now = transaction.NextDeadline;
        }

        return times;
    }

    [TestMethod]
    public void OverUdpTimerEDoublesToT2AndTimerFEndsItAt64T1()
    {
        SipClientTransaction transaction = new SipClientTransaction(Request, "z9hG4bK1", false, SipTimers.Default(), 0);
        string times = SendTimes(transaction, 100000);
        Assert.AreEqual("0,500,1500,3500,7500,11500,15500,19500,23500,27500,31500", times);
        Assert.AreEqual(SipTransactionState.Terminated, transaction.State);
        Assert.IsTrue(transaction.TimedOut);
        Assert.AreEqual(11, transaction.Transmissions);
    }

    [TestMethod]
    public void AProvisionalResponseSlowsRetransmissionToT2()
    {
        SipClientTransaction transaction = new SipClientTransaction(Request, "z9hG4bK1", false, SipTimers.Default(), 0);
        Assert.IsNotNull(transaction.Poll(0));
        Assert.IsNotNull(transaction.Poll(500));
        Assert.IsTrue(transaction.OnResponse(100, 600));
        Assert.AreEqual(SipTransactionState.Proceeding, transaction.State);
        Assert.AreEqual(1500, transaction.NextDeadline);
        Assert.IsNotNull(transaction.Poll(1500));
        Assert.AreEqual(5500, transaction.NextDeadline);
    }

    [TestMethod]
    public void AFinalResponseCompletesAndTimerKAbsorbsRetransmissions()
    {
        SipClientTransaction transaction = new SipClientTransaction(Request, "z9hG4bK1", false, SipTimers.Default(), 0);
        transaction.Poll(0);
        Assert.IsTrue(transaction.OnResponse(200, 100));
        Assert.AreEqual(SipTransactionState.Completed, transaction.State);
        Assert.IsFalse(transaction.OnResponse(200, 200), "a retransmitted final response is not passed up");
        Assert.AreEqual(5100, transaction.NextDeadline);
        Assert.IsNull(transaction.Poll(5100));
        Assert.AreEqual(SipTransactionState.Terminated, transaction.State);
        Assert.IsFalse(transaction.TimedOut);
    }

    [TestMethod]
    public void OverTcpThereIsNoRetransmissionButTimerFStillRuns()
    {
        SipClientTransaction transaction = new SipClientTransaction(Request, "z9hG4bK1", true, SipTimers.Default(), 0);
        Assert.AreEqual("0", SendTimes(transaction, 100000));
        Assert.IsTrue(transaction.TimedOut);

        SipClientTransaction answered = new SipClientTransaction(Request, "z9hG4bK2", true, SipTimers.Default(), 0);
        answered.Poll(0);
        answered.OnResponse(200, 10);
        answered.Poll(10);
        Assert.AreEqual(SipTransactionState.Terminated, answered.State, "timer K is zero on a reliable transport");
    }

    [TestMethod]
    public void ATransportErrorEndsTheTransaction()
    {
        SipClientTransaction transaction = new SipClientTransaction(Request, "z9hG4bK1", true, SipTimers.Default(), 0);
        transaction.Poll(0);
        transaction.OnTransportError(5);
        Assert.AreEqual(SipTransactionState.Terminated, transaction.State);
        Assert.IsTrue(transaction.TimedOut);
    }
}
