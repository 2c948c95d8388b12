using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Controller.Dhcp;

/// <summary>
/// The DHCP host's requests that got no reply, counted by reason (the text of
/// <see cref="Protocol.Dhcp.DhcpServer.LastDropReason"/> before its first ':', e.g. "malformed"),
/// and a summary line at most once per <see cref="Interval"/>: a flood of bad datagrams is counted
/// and shows in the log without writing one line per datagram. Reasons are a fixed set of texts,
/// so the table stays small whatever arrives.
/// </summary>
public sealed class DhcpDropTally
{
    /// <summary>How often at most a summary line is written.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly Dictionary<string, long> _total = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _recent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _example = new(StringComparer.Ordinal);
    private long _recentCount;
    private long _allCount;
    private long _reportedWithdrawn;
    private long _lastReport = long.MinValue;

    /// <summary>Counts one request left without reply for <paramref name="reason"/> ("category: detail").</summary>
    public void Count(string reason)
    {
        int colon = reason.IndexOf(':', StringComparison.Ordinal);
        ReadOnlySpan<char> category = colon < 0 ? reason : reason.AsSpan(0, colon);
        lock (_gate)
        {
            // Looked up by span: a flood of one reason allocates nothing here.
            Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> total = _total.GetAlternateLookup<ReadOnlySpan<char>>();
            Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> recent = _recent.GetAlternateLookup<ReadOnlySpan<char>>();
            total[category] = total.TryGetValue(category, out long seen) ? seen + 1 : 1;
            bool first = !recent.TryGetValue(category, out long recently);
            recent[category] = recently + 1;
            if (first && colon >= 0)
            {
                _example[category.ToString()] = reason[(colon + 1)..].Trim();
            }

            _recentCount++;
            _allCount++;
        }
    }

    /// <summary>Requests counted under <paramref name="category"/> since start.</summary>
    public long Total(string category)
    {
        lock (_gate)
        {
            return _total.GetValueOrDefault(category);
        }
    }

    /// <summary>
    /// The summary line of what was counted since the last one (and of offers withdrawn since), or
    /// null when nothing happened or the last line is younger than <see cref="Interval"/>.
    /// </summary>
    public string? TakeReport(long nowMilliseconds, long withdrawnOffers)
    {
        lock (_gate)
        {
            bool withdrew = withdrawnOffers != _reportedWithdrawn;
            if ((_recentCount == 0 && !withdrew) || (_lastReport != long.MinValue && nowMilliseconds - _lastReport < (long)Interval.TotalMilliseconds))
            {
                return null;
            }

            StringBuilder line = new("dhcp: no reply to ");
            line.Append(_recentCount.ToString(CultureInfo.InvariantCulture)).Append(" requests");
            if (_lastReport != long.MinValue)
            {
                line.Append(" in the last ").Append(((nowMilliseconds - _lastReport) / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)).Append(" s");
            }

            string separator = ": ";
            foreach (KeyValuePair<string, long> reason in _recent)
            {
                line.Append(separator).Append(reason.Key).Append(' ').Append(reason.Value.ToString(CultureInfo.InvariantCulture));
                if (_example.TryGetValue(reason.Key, out string? example))
                {
                    line.Append(" (e.g. ").Append(example).Append(')');
                }

                separator = ", ";
            }

            line.Append("; ").Append(_allCount.ToString(CultureInfo.InvariantCulture)).Append(" since start");
            if (withdrew)
            {
                line.Append("; offers withdrawn unclaimed (pending-offer limit): ").Append(withdrawnOffers.ToString(CultureInfo.InvariantCulture)).Append(" since start");
            }

            _recent.Clear();
            _example.Clear();
            _recentCount = 0;
            _reportedWithdrawn = withdrawnOffers;
            _lastReport = nowMilliseconds;
            return line.ToString();
        }
    }
}
