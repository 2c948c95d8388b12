using Controller.Database;
using Microsoft.Data.Sqlite;

namespace Controller.Forms;

/// <summary>The Multiline IP Sets form: which set (MAC) is mapped to which local DN.</summary>
public sealed class MultilineIpSets
{
    private readonly ElementDatabase _database;

    public MultilineIpSets(ElementDatabase database)
    {
        _database = database;
    }

    /// <summary>The DN the MAC is mapped to, or null.</summary>
    public string? FindDnByMac(string mac)
    {
        return (string?)_database.Scalar("SELECT dn FROM multiline_ip_sets WHERE mac = $mac", ("$mac", mac));
    }

    /// <summary>The MAC mapped to a DN, or null when the DN has no set (or none yet).</summary>
    public string? FindMacByDn(string dn)
    {
        return (string?)_database.Scalar("SELECT mac FROM multiline_ip_sets WHERE dn = $dn", ("$dn", dn));
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
    }
}
