using System;
using System.Collections.Generic;

namespace Controller.Events;

/// <summary>How a set got registered here.</summary>
public enum RegisteredBy
{
    StoredPin,
    TypedPin,
    Mac,
}

/// <summary>One set as the registrations view shows it.</summary>
public sealed record RegistrationRow(string Mac, string Dn, string Name, DateTimeOffset Since, RegisteredBy By, bool Secondary, bool Connected);

/// <summary>
/// The sets registered on this element, with what the registration server does not keep: when,
/// how (stored PIN, typed PIN, MAC reservation), primary or secondary, and whether the link is
/// still up. A set that is reset or redirected leaves the board; one whose link drops stays,
/// marked disconnected, until it registers again.
/// </summary>
public sealed class RegistrationBoard
{
    private readonly object _gate = new();
    private readonly Dictionary<string, RegistrationRow> _rows = new(StringComparer.Ordinal);

    public void Registered(string mac, string dn, string name, RegisteredBy by, bool secondary, DateTimeOffset now)
    {
        lock (_gate)
        {
            _rows[mac] = new RegistrationRow(mac, dn, name, now, by, secondary, true);
        }
    }

    public void Left(string mac)
    {
        lock (_gate)
        {
            _rows.Remove(mac);
        }
    }

    public void Disconnected(string mac)
    {
        lock (_gate)
        {
            if (_rows.TryGetValue(mac, out RegistrationRow? row))
            {
                _rows[mac] = row with { Connected = false };
            }
        }
    }

    /// <summary>The rows, by DN then MAC.</summary>
    public List<RegistrationRow> Rows()
    {
        List<RegistrationRow> rows;
        lock (_gate)
        {
            rows = new List<RegistrationRow>(_rows.Values);
        }

        rows.Sort((a, b) => a.Dn != b.Dn ? string.CompareOrdinal(a.Dn, b.Dn) : string.CompareOrdinal(a.Mac, b.Mac));
        return rows;
    }
}
