using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// How long a line waits after every server failed a round: the registrar's Retry-After when it
/// gave one, else RFC 5626 §4.5's base * 2^(rounds-1), capped, drawn from its upper half.
/// </summary>
public static class SipBackoff
{
    public static long WaitMs(SipRegistrationConfig config, int rounds, int retryAfterSeconds, IRandomSource random)
    {
        if (retryAfterSeconds > 0)
        {
            long asked = (long)retryAfterSeconds * 1000;
            return asked < config.BackoffMaxMs ? asked : config.BackoffMaxMs;
        }

        long cap = config.BackoffBaseMs;
        for (int i = 1; i < rounds && cap < config.BackoffMaxMs; i++)
        {
            cap *= 2;
        }

        cap = cap < config.BackoffMaxMs ? cap : config.BackoffMaxMs;
        return (cap / 2) + random.Next((int)(cap / 2) + 1);
    }

    /// <summary>The leading delta-seconds of Retry-After ("30 (comment);duration=..."), or 0.</summary>
    public static int RetryAfterSeconds(SipMessage response)
    {
        string? header = response.Get(SipHeaderNames.RetryAfter);
        if (header == null)
        {
            return 0;
        }

        int end = 0;
        while (end < header.Length && Ascii.IsDigit(header[end]))
        {
            end++;
        }

        int seconds = Ascii.ParseDecimal(header, 0, end);
        return seconds < 0 ? 0 : seconds;
    }
}
