using System.Collections.Generic;

namespace Controller.Registration;

/// <summary>
/// Wrong-PIN counting per set (MAC), shared by every connection of the element so that
/// reconnecting does not reset the count.
/// </summary>
public sealed class PinLockouts
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (int Failures, long LockedUntil)> _sets = new();
    private readonly RegistrationPolicy _policy;

    public PinLockouts(RegistrationPolicy policy)
    {
        _policy = policy;
    }

    public bool IsLocked(string mac, long now)
    {
        lock (_gate)
        {
            return _sets.TryGetValue(mac, out (int Failures, long LockedUntil) entry) && entry.LockedUntil > now;
        }
    }

    /// <summary>How long the set stays locked out, in milliseconds; 0 when it is not.</summary>
    public long RemainingMilliseconds(string mac, long now)
    {
        lock (_gate)
        {
            return _sets.TryGetValue(mac, out (int Failures, long LockedUntil) entry) && entry.LockedUntil > now ? entry.LockedUntil - now : 0;
        }
    }

    /// <summary>Counts a wrong PIN; true when this one locks the set out.</summary>
    public bool RecordFailure(string mac, long now)
    {
        lock (_gate)
        {
            _sets.TryGetValue(mac, out (int Failures, long LockedUntil) entry);
            int failures = entry.LockedUntil != 0 && entry.LockedUntil <= now ? 1 : entry.Failures + 1;
            if (failures >= _policy.WrongPinLimit)
            {
                _sets[mac] = (0, now + _policy.LockoutMilliseconds);
                return true;
            }

            _sets[mac] = (failures, 0);
            return false;
        }
    }

    public void Clear(string mac)
    {
        lock (_gate)
        {
            _sets.Remove(mac);
        }
    }
}
