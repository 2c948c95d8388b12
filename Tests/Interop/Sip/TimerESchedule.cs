using System;
using System.Collections.Generic;
using System.Globalization;

namespace Tests.Interop.Sip;

/// <summary>
/// The transmissions of one unanswered non-INVITE request over UDP as the wire saw them (seconds),
/// checked against RFC 3261 §17.1.2.2 with the default timers: timer E from T1 = 0.5 s doubling
/// to T2 = 4 s, no transmission after timer F (64*T1 = 32 s) and none missing before it. Each gap
/// is checked against its place in the schedule, not against an absolute time, and every
/// tolerance grows by the measured scheduling lag: a late wake-up lengthens its own gap (the next
/// interval counts from when the retransmission went, so lateness adds up towards F and may leave
/// the last one out), and a clock read that lagged its frame shortens the gap after it.
/// </summary>
public static class TimerESchedule
{
    public const double T1 = 0.5;
    public const double T2 = 4;
    public const double TimerF = 64 * T1;

    // With no lag: the first gap counts from when the REGISTER was built, a little before the first
    // frame left (the same step opened the line's socket); the others, frame to frame.
    private const double FirstEarly = 0.2;
    private const double Early = 0.05;
    private const double Late = 0.5;

    // What one transmission may take beyond a wake-up's lag (building nothing: the bytes are kept).
    private const double SendCost = 0.02;

    /// <summary>The gap timer E puts after transmission <paramref name="index"/> (0: the first).</summary>
    public static double Gap(int index)
    {
        double gap = T1;
        for (int i = 0; i < index && gap < T2; i++)
        {
            gap *= 2;
        }

        return Math.Min(gap, T2);
    }

    /// <summary>Transmissions before timer F when every wake-up is <paramref name="lateness"/> seconds late.</summary>
    public static int TransmissionsBeforeTimerF(double lateness)
    {
        int count = 1;
        double at = 0;
        while (true)
        {
            at += Gap(count - 1) + lateness;
            if (at >= TimerF)
            {
                return count;
            }

            count++;
        }
    }

    /// <summary>Null when <paramref name="sends"/> keep the schedule under a scheduling lag of <paramref name="lag"/> seconds; otherwise what broke it.</summary>
    public static string? Check(IReadOnlyList<double> sends, double lag)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        int fewest = TransmissionsBeforeTimerF(lag + SendCost);
        int most = TransmissionsBeforeTimerF(0);
        if (sends.Count < fewest || sends.Count > most)
        {
            return string.Create(c, $"{sends.Count} transmissions before timer F; with a scheduling lag of {lag:F3} s there are {fewest} to {most}");
        }

        for (int i = 0; i + 1 < sends.Count; i++)
        {
            double gap = sends[i + 1] - sends[i];
            double early = (i == 0 ? FirstEarly : Early) + lag;
            if (gap < Gap(i) - early || gap > Gap(i) + Late + lag)
            {
                return string.Create(c, $"gap {i} is {gap:F3} s, timer E puts {Gap(i)} s there (-{early:F3}/+{Late + lag:F3} s with a scheduling lag of {lag:F3} s)");
            }
        }

        double last = sends[^1] - sends[0];
        if (last > TimerF + Early + lag)
        {
            return string.Create(c, $"a transmission {last:F3} s after the first, past timer F ({TimerF} s, lag {lag:F3} s)");
        }

        return null;
    }
}
