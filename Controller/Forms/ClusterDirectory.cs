using System;
using System.Collections.Generic;
using Controller.Database;
using Microsoft.Data.Sqlite;

namespace Controller.Forms;

/// <summary>
/// The cluster side of the forms: Remote Directory Numbers → Cluster Elements (CEID) →
/// ICP/PBX Networking (IP address). This is how an element finds a DN's home element.
/// </summary>
public sealed class ClusterDirectory
{
    private readonly ElementDatabase _database;

    // What resolution reads on every registration, loaded whole and written through: the Remote
    // Directory Numbers, the Cluster Elements (CEID -> is local) and ICP/PBX Networking (-> address).
    private readonly Dictionary<string, (int Primary, int? Secondary)> _remote = new(StringComparer.Ordinal);
    private readonly Dictionary<int, bool> _elementIsLocal = new();
    private readonly Dictionary<int, (string Address, int Port)> _networking = new();
    private int _localCeidIndex;
    private long _cacheGeneration = -1;

    public ClusterDirectory(ElementDatabase database)
    {
        _database = database;
    }

    public void AddElement(int ceidIndex, string ceidDigits, bool isLocal, string ipAddress, int registrationPort, string comment)
    {
        FormValidation.ElementIndex(ceidIndex, "CEID index");
        FormValidation.DirectoryNumber(ceidDigits, "CEID digits");
        using SqliteTransaction transaction = _database.BeginTransaction();
        _database.Execute(
            "INSERT INTO cluster_elements (ceid_index, ceid_digits, is_local, comment) VALUES ($i, $d, $l, $c) ON CONFLICT(ceid_index) DO UPDATE SET ceid_digits = excluded.ceid_digits, is_local = excluded.is_local, comment = excluded.comment",
            ("$i", ceidIndex),
            ("$d", ceidDigits),
            ("$l", isLocal ? 1 : 0),
            ("$c", comment));
        _database.Execute(
            "INSERT INTO icp_pbx_networking (pbx_number, is_local, comment, ip_address, registration_port) VALUES ($i, $l, $c, $a, $p) ON CONFLICT(pbx_number) DO UPDATE SET is_local = excluded.is_local, comment = excluded.comment, ip_address = excluded.ip_address, registration_port = excluded.registration_port",
            ("$i", ceidIndex),
            ("$l", isLocal ? 1 : 0),
            ("$c", comment),
            ("$a", ipAddress),
            ("$p", registrationPort));
        transaction.Commit();
        _database.InvalidateCaches(); // rare: reload rather than follow
    }

    /// <summary>Records where this element actually listens (the port may have been picked at start-up).</summary>
    public void SetLocalEndpoint(string ipAddress, int registrationPort)
    {
        _database.Execute(
            "UPDATE icp_pbx_networking SET ip_address = $a, registration_port = $p WHERE is_local = 1",
            ("$a", ipAddress),
            ("$p", registrationPort));
        _database.InvalidateCaches();
    }

    public void AddRemoteDirectoryNumber(string number, int ceidIndex, int? secondaryCeidIndex = null)
    {
        FormValidation.DirectoryNumber(number);
        FormValidation.ElementIndex(ceidIndex, "cluster element index");
        if (secondaryCeidIndex.HasValue)
        {
            FormValidation.ElementIndex(secondaryCeidIndex.Value, "secondary cluster element index");
            if (secondaryCeidIndex.Value == ceidIndex)
            {
                throw new FormException("the secondary element of " + number + " must differ from its primary");
            }
        }

        _database.Execute(
            "INSERT INTO remote_directory_numbers (number, ceid_index, secondary_ceid_index) VALUES ($n, $i, $s) ON CONFLICT(number) DO UPDATE SET ceid_index = excluded.ceid_index, secondary_ceid_index = excluded.secondary_ceid_index",
            ("$n", number),
            ("$i", ceidIndex),
            ("$s", secondaryCeidIndex));
        if (_database.InTransaction)
        {
            _database.InvalidateCaches(); // the caller's transaction may still roll back
        }
        else if (_cacheGeneration == _database.CacheGeneration)
        {
            _remote[number] = (ceidIndex, secondaryCeidIndex);
        }
    }

    public bool DeleteRemoteDirectoryNumber(string number)
    {
        bool deleted = _database.Execute("DELETE FROM remote_directory_numbers WHERE number = $n", ("$n", number)) > 0;
        if (_database.InTransaction)
        {
            _database.InvalidateCaches();
        }
        else if (_cacheGeneration == _database.CacheGeneration)
        {
            _remote.Remove(number);
        }

        return deleted;
    }

    /// <summary>The Remote Directory Numbers form: (number, primary CEID index, secondary or null).</summary>
    public List<(string Number, int CeidIndex, int? SecondaryCeidIndex)> ListRemoteDirectoryNumbers()
    {
        List<(string, int, int?)> rows = new();
        using SqliteCommand command = _database.Command("SELECT number, ceid_index, secondary_ceid_index FROM remote_directory_numbers ORDER BY number");
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt32(2)));
        }

        return rows;
    }

    /// <summary>The Cluster Elements form joined with ICP/PBX Networking.</summary>
    public List<(int CeidIndex, string CeidDigits, bool IsLocal, string Address, int Port, string Comment)> ListElements()
    {
        List<(int, string, bool, string, int, string)> rows = new();
        using SqliteCommand command = _database.Command(
            "SELECT c.ceid_index, c.ceid_digits, c.is_local, coalesce(n.ip_address, ''), coalesce(n.registration_port, 0), c.comment FROM cluster_elements c LEFT JOIN icp_pbx_networking n ON n.pbx_number = c.ceid_index ORDER BY c.ceid_index");
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2) != 0, reader.GetString(3), reader.GetInt32(4), reader.GetString(5)));
        }

        return rows;
    }

    /// <summary>This element's CEID index, or 0 when the form has no local entry.</summary>
    public int LocalCeidIndex()
    {
        if (!_database.InTransaction)
        {
            Load();
            return _localCeidIndex;
        }

        object? value = _database.Scalar("SELECT ceid_index FROM cluster_elements WHERE is_local = 1");
        return value == null ? 0 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The registration endpoint of an element by CEID index, or null.</summary>
    public (string Address, int Port)? ElementEndpoint(int ceidIndex)
    {
        if (!_database.InTransaction)
        {
            Load();
            return _networking.TryGetValue(ceidIndex, out (string Address, int Port) endpoint) ? endpoint : null;
        }

        SqliteCommand command = _database.Prepared("SELECT ip_address, registration_port FROM icp_pbx_networking WHERE pbx_number = $i", ("$i", ceidIndex));
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt32(1)) : null;
    }

    /// <summary>The primary and secondary CEID index of a remote DN, or null when it is not in the form.</summary>
    public (int Primary, int? Secondary)? RemoteHomes(string dn)
    {
        if (!_database.InTransaction)
        {
            Load();
            return _remote.TryGetValue(dn, out (int Primary, int? Secondary) homes) ? homes : null;
        }

        SqliteCommand command = _database.Prepared("SELECT ceid_index, secondary_ceid_index FROM remote_directory_numbers WHERE number = $n", ("$n", dn));
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1)) : null;
    }

    /// <summary>
    /// Resolves a DN programmed on another element to that element's address:
    /// DN → CEID index (Remote Directory Numbers) → ICP/PBX number → IP address. Null when unknown.
    /// </summary>
    public (string Address, int Port, int CeidIndex)? ResolveRemote(string dn)
    {
        if (!_database.InTransaction)
        {
            // The same join as the statement below: a non-local Cluster Elements entry with an ICP/PBX address.
            Load();
            if (_remote.TryGetValue(dn, out (int Primary, int? Secondary) homes)
                && _elementIsLocal.TryGetValue(homes.Primary, out bool isLocal) && !isLocal
                && _networking.TryGetValue(homes.Primary, out (string Address, int Port) home))
            {
                return (home.Address, home.Port, homes.Primary);
            }

            return null;
        }

        SqliteCommand command = _database.Prepared(
            """
            SELECT n.ip_address, n.registration_port, r.ceid_index
            FROM remote_directory_numbers r
            JOIN cluster_elements c ON c.ceid_index = r.ceid_index AND c.is_local = 0
            JOIN icp_pbx_networking n ON n.pbx_number = c.ceid_index
            WHERE r.number = $dn
            """,
            ("$dn", dn));
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)) : null;
    }

    private void Load()
    {
        if (_cacheGeneration == _database.CacheGeneration)
        {
            return;
        }

        _remote.Clear();
        foreach ((string number, int ceidIndex, int? secondary) in ListRemoteDirectoryNumbers())
        {
            _remote[number] = (ceidIndex, secondary);
        }

        _elementIsLocal.Clear();
        _localCeidIndex = 0;
        using (SqliteCommand command = _database.Command("SELECT ceid_index, is_local FROM cluster_elements ORDER BY ceid_index"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                bool isLocal = reader.GetInt32(1) != 0;
                _elementIsLocal[reader.GetInt32(0)] = isLocal;
                if (isLocal && _localCeidIndex == 0)
                {
                    _localCeidIndex = reader.GetInt32(0);
                }
            }
        }

        _networking.Clear();
        using (SqliteCommand command = _database.Command("SELECT pbx_number, ip_address, registration_port FROM icp_pbx_networking"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                _networking[reader.GetInt32(0)] = (reader.GetString(1), reader.GetInt32(2));
            }
        }

        _cacheGeneration = _database.CacheGeneration;
    }
}
