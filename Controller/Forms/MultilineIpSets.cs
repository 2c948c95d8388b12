using System.Collections.Generic;
using Controller.Database;
using Microsoft.Data.Sqlite;

namespace Controller.Forms;

/// <summary>
/// The Multiline IP Sets form: which set (MAC) is mapped to which local DN. A row is either
/// programmed by the administrator (the set registers by its MAC, without a PIN) or learned from a
/// PIN registration. MACs reserved on another element's DN are kept beside it (remote reservations),
/// so a device without PIN memory that reaches this element first is sent to its home.
/// </summary>
public sealed class MultilineIpSets
{
    private readonly ElementDatabase _database;

    // Both directions of the mapping, read on every registration; loaded whole, written through.
    private readonly Dictionary<string, SetRow> _byMac = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, string> _macByDn = new(System.StringComparer.Ordinal);
    private long _cacheGeneration = -1;

    public MultilineIpSets(ElementDatabase database)
    {
        _database = database;
    }

    /// <summary>The DN the MAC is mapped to, or null.</summary>
    public string? FindDnByMac(string mac)
    {
        return FindByMac(mac)?.Dn;
    }

    /// <summary>The row of a MAC: its DN, whether the set stores its PIN, whether the administrator programmed it; or null.</summary>
    public SetRow? FindByMac(string mac)
    {
        if (_database.InTransaction)
        {
            SqliteCommand command = _database.Prepared("SELECT dn, pin_memory, programmed FROM multiline_ip_sets WHERE mac = $mac", ("$mac", mac));
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? new SetRow(reader.GetString(0), reader.GetInt32(1) != 0, reader.GetInt32(2) != 0) : null;
        }

        Load();
        return _byMac.TryGetValue(mac, out SetRow? row) ? row : null;
    }

    /// <summary>The MAC mapped to a DN, or null when the DN has no set (or none yet).</summary>
    public string? FindMacByDn(string dn)
    {
        if (_database.InTransaction)
        {
            return (string?)_database.Scalar("SELECT mac FROM multiline_ip_sets WHERE dn = $dn", ("$dn", dn));
        }

        Load();
        return _macByDn.TryGetValue(dn, out string? mac) ? mac : null;
    }

    /// <summary>The other element's DN a MAC is reserved on, or null.</summary>
    public string? FindRemoteReservation(string mac)
    {
        return (string?)_database.Scalar("SELECT dn FROM remote_set_reservations WHERE mac = $mac", ("$mac", mac));
    }

    /// <summary>
    /// Programs a set by reservation: the DN is bound to the MAC before the set ever registers, and
    /// the set then registers by its MAC without a prompt. Devices with no PIN memory (IP consoles,
    /// paging units) can only be registered this way. A DN of another element (in Remote Directory
    /// Numbers) makes a remote reservation: this element redirects the MAC to the DN's home.
    /// </summary>
    public void Reserve(string mac, string dn, bool pinMemory)
    {
        string normalized = FormValidation.Mac(mac);
        FormValidation.DirectoryNumber(dn);
        using SqliteTransaction transaction = _database.BeginTransaction();
        string? other = (string?)_database.Scalar("SELECT dn FROM multiline_ip_sets WHERE mac = $mac AND dn <> $dn", ("$mac", normalized), ("$dn", dn))
            ?? (string?)_database.Scalar("SELECT dn FROM remote_set_reservations WHERE mac = $mac AND dn <> $dn", ("$mac", normalized), ("$dn", dn));
        if (other != null)
        {
            throw new FormException("MAC " + normalized + " is already the set of DN " + other);
        }

        if (_database.Scalar("SELECT number FROM telephone_directory WHERE number = $dn", ("$dn", dn)) != null)
        {
            _database.Execute(
                "INSERT INTO multiline_ip_sets (dn, mac, pin_memory, programmed) VALUES ($dn, $mac, $p, 1) ON CONFLICT(dn) DO UPDATE SET mac = excluded.mac, pin_memory = excluded.pin_memory, programmed = 1",
                ("$dn", dn),
                ("$mac", normalized),
                ("$p", pinMemory ? 1 : 0));
        }
        else if (_database.Scalar("SELECT number FROM remote_directory_numbers WHERE number = $dn", ("$dn", dn)) != null)
        {
            _database.Execute("INSERT INTO remote_set_reservations (mac, dn) VALUES ($mac, $dn) ON CONFLICT(mac) DO UPDATE SET dn = excluded.dn", ("$mac", normalized), ("$dn", dn));
        }
        else
        {
            throw new FormException("directory number " + dn + " is neither in the Telephone Directory nor in Remote Directory Numbers");
        }

        transaction.Commit();
        _database.InvalidateCaches(); // rare (configuration and admin): reload rather than follow
    }

    /// <summary>Deletes the set's row or remote reservation (the DN stays in the directory); false when the MAC had none.</summary>
    public bool DeleteByMac(string mac)
    {
        string normalized = FormValidation.Mac(mac);
        using SqliteTransaction transaction = _database.BeginTransaction();
        int deleted = _database.Execute("DELETE FROM multiline_ip_sets WHERE mac = $mac", ("$mac", normalized))
            + _database.Execute("DELETE FROM remote_set_reservations WHERE mac = $mac", ("$mac", normalized));
        transaction.Commit();
        _database.InvalidateCaches();
        return deleted > 0;
    }

    /// <summary>Deletes the row of a DN (the DN stays in the directory) and any remote reservation on it; false when there was none.</summary>
    public bool DeleteByDn(string dn)
    {
        FormValidation.DirectoryNumber(dn);
        using SqliteTransaction transaction = _database.BeginTransaction();
        int deleted = _database.Execute("DELETE FROM multiline_ip_sets WHERE dn = $dn", ("$dn", dn))
            + _database.Execute("DELETE FROM remote_set_reservations WHERE dn = $dn", ("$dn", dn));
        transaction.Commit();
        _database.InvalidateCaches();
        return deleted > 0;
    }

    /// <summary>Clears the MAC of a DN's row and keeps the row; false when the DN has no row or no MAC.</summary>
    public bool ClearMac(string dn)
    {
        FormValidation.DirectoryNumber(dn);
        bool cleared = _database.Execute("UPDATE multiline_ip_sets SET mac = NULL, programmed = 0 WHERE dn = $dn AND mac IS NOT NULL", ("$dn", dn)) > 0;
        _database.InvalidateCaches();
        return cleared;
    }

    /// <summary>The form: (DN, MAC or null, has PIN memory).</summary>
    public List<(string Dn, string? Mac, bool PinMemory)> List()
    {
        List<(string, string?, bool)> rows = new();
        using SqliteCommand command = _database.Command("SELECT dn, mac, pin_memory FROM multiline_ip_sets ORDER BY dn");
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2) != 0));
        }

        return rows;
    }

    /// <summary>The remote reservations: (MAC, the other element's DN).</summary>
    public List<(string Mac, string Dn)> ListRemoteReservations()
    {
        List<(string, string)> rows = new();
        using SqliteCommand command = _database.Command("SELECT mac, dn FROM remote_set_reservations ORDER BY mac");
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>
    /// Maps MAC to DN (a PIN registration) in one transaction: any older mapping of this MAC is
    /// removed first, and a DN that changes hands is no longer a programmed one.
    /// </summary>
    public void Map(string mac, string dn)
    {
        using SqliteTransaction transaction = _database.BeginTransaction();
        _database.Execute("UPDATE multiline_ip_sets SET mac = NULL, programmed = 0 WHERE mac = $mac AND dn <> $dn", ("$mac", mac), ("$dn", dn));
        _database.Execute(
            "INSERT INTO multiline_ip_sets (dn, mac) VALUES ($dn, $mac) ON CONFLICT(dn) DO UPDATE SET mac = excluded.mac, programmed = 0",
            ("$dn", dn),
            ("$mac", mac));
        transaction.Commit();
        if (_cacheGeneration == _database.CacheGeneration)
        {
            // The same two steps as the statements: the MAC leaves its old DN, the DN's old MAC is replaced.
            if (_byMac.TryGetValue(mac, out SetRow? old) && old.Dn != dn)
            {
                _macByDn.Remove(old.Dn);
            }

            // The row keeps its pin_memory when the DN changes hands (or had no MAC).
            bool pinMemory = System.Convert.ToInt64(_database.Scalar("SELECT pin_memory FROM multiline_ip_sets WHERE dn = $dn", ("$dn", dn)), System.Globalization.CultureInfo.InvariantCulture) != 0;
            if (_macByDn.TryGetValue(dn, out string? oldMac) && oldMac != mac)
            {
                _byMac.Remove(oldMac);
            }

            _byMac[mac] = new SetRow(dn, pinMemory, false);
            _macByDn[dn] = mac;
        }
    }

    private void Load()
    {
        if (_cacheGeneration == _database.CacheGeneration)
        {
            return;
        }

        _byMac.Clear();
        _macByDn.Clear();
        using (SqliteCommand command = _database.Command("SELECT dn, mac, pin_memory, programmed FROM multiline_ip_sets WHERE mac IS NOT NULL"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                string dn = reader.GetString(0);
                string mac = reader.GetString(1);
                _byMac[mac] = new SetRow(dn, reader.GetInt32(2) != 0, reader.GetInt32(3) != 0);
                _macByDn[dn] = mac;
            }
        }

        _cacheGeneration = _database.CacheGeneration;
    }
}

/// <summary>One Multiline IP Sets row as registration reads it.</summary>
/// <param name="Dn">The DN the set is mapped to.</param>
/// <param name="PinMemory">False for a device that cannot store a PIN (registered by its MAC only).</param>
/// <param name="Programmed">True when the administrator entered the MAC (the set registers by MAC without a PIN).</param>
public sealed record SetRow(string Dn, bool PinMemory, bool Programmed);
