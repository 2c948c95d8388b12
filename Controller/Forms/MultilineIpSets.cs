using System.Collections.Generic;
using Controller.Database;
using Microsoft.Data.Sqlite;

namespace Controller.Forms;

/// <summary>The Multiline IP Sets form: which set (MAC) is mapped to which local DN.</summary>
public sealed class MultilineIpSets
{
    private readonly ElementDatabase _database;

    // Both directions of the mapping, read on every registration; loaded whole, written through.
    private readonly Dictionary<string, string> _dnByMac = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, string> _macByDn = new(System.StringComparer.Ordinal);
    private long _cacheGeneration = -1;

    public MultilineIpSets(ElementDatabase database)
    {
        _database = database;
    }

    /// <summary>The DN the MAC is mapped to, or null.</summary>
    public string? FindDnByMac(string mac)
    {
        if (_database.InTransaction)
        {
            return (string?)_database.Scalar("SELECT dn FROM multiline_ip_sets WHERE mac = $mac", ("$mac", mac));
        }

        Load();
        return _dnByMac.TryGetValue(mac, out string? dn) ? dn : null;
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

    /// <summary>
    /// Programs a set by reservation: the DN is bound to the MAC before the set ever registers.
    /// Devices with no PIN memory (IP consoles) can only be registered this way.
    /// </summary>
    public void Reserve(string mac, string dn, bool pinMemory)
    {
        string normalized = FormValidation.Mac(mac);
        FormValidation.DirectoryNumber(dn);
        using SqliteTransaction transaction = _database.BeginTransaction();
        if (_database.Scalar("SELECT number FROM telephone_directory WHERE number = $dn", ("$dn", dn)) == null)
        {
            throw new FormException("directory number " + dn + " is not in the Telephone Directory");
        }

        string? other = (string?)_database.Scalar("SELECT dn FROM multiline_ip_sets WHERE mac = $mac AND dn <> $dn", ("$mac", normalized), ("$dn", dn));
        if (other != null)
        {
            throw new FormException("MAC " + normalized + " is already the set of DN " + other);
        }

        _database.Execute(
            "INSERT INTO multiline_ip_sets (dn, mac, pin_memory) VALUES ($dn, $mac, $p) ON CONFLICT(dn) DO UPDATE SET mac = excluded.mac, pin_memory = excluded.pin_memory",
            ("$dn", dn),
            ("$mac", normalized),
            ("$p", pinMemory ? 1 : 0));
        transaction.Commit();
        _database.InvalidateCaches(); // rare (configuration and admin): reload rather than follow
    }

    /// <summary>Deletes the set's row (the DN stays in the directory); false when the MAC had none.</summary>
    public bool DeleteByMac(string mac)
    {
        bool deleted = _database.Execute("DELETE FROM multiline_ip_sets WHERE mac = $mac", ("$mac", FormValidation.Mac(mac))) > 0;
        _database.InvalidateCaches();
        return deleted;
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

    /// <summary>Maps MAC to DN in one transaction: any older mapping of this MAC is removed first.</summary>
    public void Map(string mac, string dn)
    {
        using SqliteTransaction transaction = _database.BeginTransaction();
        _database.Execute("UPDATE multiline_ip_sets SET mac = NULL WHERE mac = $mac AND dn <> $dn", ("$mac", mac), ("$dn", dn));
        _database.Execute(
            "INSERT INTO multiline_ip_sets (dn, mac) VALUES ($dn, $mac) ON CONFLICT(dn) DO UPDATE SET mac = excluded.mac",
            ("$dn", dn),
            ("$mac", mac));
        transaction.Commit();
        if (_cacheGeneration == _database.CacheGeneration)
        {
            // The same two steps as the statements: the MAC leaves its old DN, the DN's old MAC is replaced.
            if (_dnByMac.TryGetValue(mac, out string? oldDn) && oldDn != dn)
            {
                _macByDn.Remove(oldDn);
            }

            if (_macByDn.TryGetValue(dn, out string? oldMac) && oldMac != mac)
            {
                _dnByMac.Remove(oldMac);
            }

            _dnByMac[mac] = dn;
            _macByDn[dn] = mac;
        }
    }

    private void Load()
    {
        if (_cacheGeneration == _database.CacheGeneration)
        {
            return;
        }

        _dnByMac.Clear();
        _macByDn.Clear();
        foreach ((string dn, string? mac, bool _) in List())
        {
            if (mac != null)
            {
                _dnByMac[mac] = dn;
                _macByDn[dn] = mac;
            }
        }

        _cacheGeneration = _database.CacheGeneration;
    }
}
