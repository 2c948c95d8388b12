namespace Protocol.Common;

/// <summary>
/// Time in this project is a monotonic millisecond count passed in by the caller.
/// A machine with nothing scheduled reports <see cref="None"/> as its next deadline.
/// </summary>
public static class Deadline
{
    public const long None = long.MaxValue;

    public static long Earliest(long a, long b)
    {
        return a < b ? a : b;
    }
}
