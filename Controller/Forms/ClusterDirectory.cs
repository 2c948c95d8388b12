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
    }

    /// <summary>Records where this element actually listens (the port may have been picked at start-up).</summary>
    public void SetLocalEndpoint(string ipAddress, int registrationPort)
    {
        _database.Execute(
            "UPDATE icp_pbx_networking SET ip_address = $a, registration_port = $p WHERE is_local = 1",
            ("$a", ipAddress),
            ("$p", registrationPort));
    }

    public void AddRemoteDirectoryNumber(string number, int ceidIndex)
    {
        FormValidation.DirectoryNumber(number);
        FormValidation.ElementIndex(ceidIndex, "cluster element index");
        _database.Execute(
            "INSERT INTO remote_directory_numbers (number, ceid_index) VALUES ($n, $i) ON CONFLICT(number) DO UPDATE SET ceid_index = excluded.ceid_index",
            ("$n", number),
            ("$i", ceidIndex));
    }

    /// <summary>
    /// Resolves a DN programmed on another element to that element's address:
    /// DN → CEID index (Remote Directory Numbers) → ICP/PBX number → IP address. Null when unknown.
    /// </summary>
    public (string Address, int Port, int CeidIndex)? ResolveRemote(string dn)
    {
        using SqliteCommand command = _database.Command(
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
}
