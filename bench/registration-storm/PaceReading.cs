using System;
using System.Globalization;

namespace RegistrationStorm;

/// <summary>
/// One `pace` answer of the cluster (<see cref="RegistrationPace"/>): the Registered replies the
/// elements sent since `pace-start`, the time from the first to the last, and the frames each way.
/// </summary>
public sealed class PaceReading
{
    public int Count { get; init; }

    public double Seconds { get; init; }

    public long FramesIn { get; init; }

    public long FramesOut { get; init; }

    public double Rate => Seconds > 0 ? Count / Seconds : 0;

    /// <summary>Parses `pace count=N seconds=S frames_in=F frames_out=F`; a line of another shape is the child's error, said as such.</summary>
    public static PaceReading Parse(string line)
    {
        string[] parts = line.Split(' ');
        if (parts.Length != 5 || parts[0] != "pace")
        {
            throw new InvalidOperationException("the cluster answered 'pace' with '" + line + "'");
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        return new PaceReading
        {
            Count = int.Parse(Value(parts[1], "count"), c),
            Seconds = double.Parse(Value(parts[2], "seconds"), c),
            FramesIn = long.Parse(Value(parts[3], "frames_in"), c),
            FramesOut = long.Parse(Value(parts[4], "frames_out"), c),
        };
    }

    private static string Value(string pair, string key)
    {
        if (!pair.StartsWith(key + "=", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the cluster's pace line has '" + pair + "' where " + key + "= belongs");
        }

        return pair[(key.Length + 1)..];
    }
}
