using System.Collections.Generic;

namespace Tests.Interop.Sip;

/// <summary>
/// <see cref="TimerESchedule"/> on made-up trains of transmissions (no network, no clock): the
/// schedule passes, a train that breaks the doubling, T2 or timer F fails, and lateness passes
/// only when the measured lag accounts for it.
/// </summary>
[TestClass]
public sealed class TimerEScheduleTests
{
    [TestMethod]
    public void TheRfcScheduleOnAnIdleMachineIsElevenTransmissionsAndPasses()
    {
        List<double> sends = Train(0, 0.0);
        Assert.AreEqual(11, sends.Count);
        Assert.IsNull(TimerESchedule.Check(sends, 0.001));
    }

    [TestMethod]
    public void ATimerEThatDoesNotDoubleFails()
    {
        List<double> sends = new();
        for (double at = 0; at < TimerESchedule.TimerF; at += TimerESchedule.T1)
        {
            sends.Add(at);
        }

        StringAssert.Contains(TimerESchedule.Check(sends, 0.001), "transmissions before timer F");
        StringAssert.Contains(TimerESchedule.Check(sends.GetRange(0, 11), 0.001), "gap 1 is 0.500 s");
    }

    [TestMethod]
    public void ATimerEThatDoublesPastT2Fails()
    {
        List<double> sends = new() { 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 };
        StringAssert.Contains(TimerESchedule.Check(sends, 0.001), "transmissions before timer F");
    }

    [TestMethod]
    public void ATrainMissingItsLastTransmissionBeforeTimerFFails()
    {
        List<double> sends = Train(0, 0.0);
        sends.RemoveAt(sends.Count - 1);
        StringAssert.Contains(TimerESchedule.Check(sends, 0.001), "10 transmissions before timer F");
    }

    [TestMethod]
    public void WakeUpsLateByTheMeasuredLagPassAndTheSameLatenessWithoutLagFails()
    {
        // Every retransmission 0.3 s late: the lateness adds up and F comes after the tenth.
        List<double> sends = Train(0.3, 0.0);
        Assert.AreEqual(10, sends.Count);
        Assert.IsNull(TimerESchedule.Check(sends, 0.3));
        Assert.IsNotNull(TimerESchedule.Check(sends, 0.001));
    }

    [TestMethod]
    public void AGapShortenedByMoreThanTheLagFails()
    {
        List<double> sends = Train(0, 0.0);
        sends[5] -= 0.2;
        StringAssert.Contains(TimerESchedule.Check(sends, 0.001), "gap 4 is 3.800 s");
        Assert.IsNull(TimerESchedule.Check(sends, 0.2));
    }

    // Transmissions as the schedule puts them, each retransmission `late` seconds after its due time
    // (the next interval counting from it), until timer F; the first at `first`.
    private static List<double> Train(double late, double first)
    {
        List<double> sends = new() { first };
        for (int i = 0; ; i++)
        {
            double next = sends[^1] + TimerESchedule.Gap(i) + late;
            if (next - first >= TimerESchedule.TimerF)
            {
                return sends;
            }

            sends.Add(next);
        }
    }
}
