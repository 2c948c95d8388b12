using System;
using System.Collections.Concurrent;
using System.Net;

namespace Controller.Admin;

/// <summary>
/// Token guessing on the admin API (issue 15): a source address that sent <see cref="Failures"/>
/// requests with a missing or wrong token within <see cref="Window"/> gets 429 for every request
/// until that window has passed, right token or not. Each refusal is logged with its source.
/// </summary>
public sealed class AdminRateLimit
{
    public const int Failures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<IPAddress, Entry> _sources = new();
    private readonly Func<DateTime> _now;

    public AdminRateLimit(Func<DateTime>? now = null)
    {
        _now = now ?? (() => DateTime.UtcNow);
    }

    /// <summary>True while the source is blocked; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsBlocked(IPAddress source, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_sources.TryGetValue(source, out Entry? entry))
        {
            return false;
        }

        lock (entry)
        {
            DateTime now = _now();
            if (now - entry.WindowStart >= Window)
            {
                entry.WindowStart = now;
                entry.Count = 0;
                return false;
            }

            retryAfter = Window - (now - entry.WindowStart);
            return entry.Count >= Failures;
        }
    }

    /// <summary>Counts a missing or wrong token; returns how many the source sent in its window.</summary>
    public int Fail(IPAddress source)
    {
        Entry entry = _sources.GetOrAdd(source, _ => new Entry { WindowStart = _now() });
        lock (entry)
        {
            if (_now() - entry.WindowStart >= Window)
            {
                entry.WindowStart = _now();
                entry.Count = 0;
            }

            return ++entry.Count;
        }
    }

    private sealed class Entry
    {
        public DateTime WindowStart { get; set; }

        public int Count { get; set; }
    }
}
