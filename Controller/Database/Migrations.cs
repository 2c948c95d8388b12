namespace Controller.Database;

/// <summary>
/// The element database schema, as an ordered list of migrations. A database records the
/// version it reached; opening it applies the rest in one transaction each. Never edit a
/// shipped migration: add the next one.
/// </summary>
internal static class Migrations
{
    public static readonly string[] Steps =
    {
        // 1: the call server's forms and the DHCP leases.
        """
        CREATE TABLE system_options (
            name  TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE telephone_directory (
            number     TEXT PRIMARY KEY CHECK (length(number) BETWEEN 1 AND 7),
            name       TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 20),
            department TEXT NOT NULL DEFAULT '',
            location   TEXT NOT NULL DEFAULT '',
            privacy    INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE multiline_ip_sets (
            device_id   INTEGER PRIMARY KEY AUTOINCREMENT,
            device_type TEXT NOT NULL DEFAULT '5320',
            dn          TEXT NOT NULL UNIQUE REFERENCES telephone_directory(number) ON DELETE CASCADE,
            mac         TEXT UNIQUE,
            pin_memory  INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE cluster_elements (
            ceid_index  INTEGER PRIMARY KEY CHECK (ceid_index BETWEEN 1 AND 999),
            ceid_digits TEXT NOT NULL UNIQUE CHECK (length(ceid_digits) BETWEEN 1 AND 7),
            is_local    INTEGER NOT NULL DEFAULT 0,
            comment     TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE icp_pbx_networking (
            pbx_number  INTEGER PRIMARY KEY CHECK (pbx_number BETWEEN 1 AND 999),
            is_local    INTEGER NOT NULL DEFAULT 0,
            comment     TEXT NOT NULL DEFAULT '',
            ip_address  TEXT NOT NULL,
            registration_port INTEGER NOT NULL DEFAULT 6800
        );
        CREATE TABLE remote_directory_numbers (
            number                  TEXT PRIMARY KEY CHECK (length(number) BETWEEN 1 AND 7),
            ceid_index              INTEGER NOT NULL CHECK (ceid_index BETWEEN 1 AND 999),
            secondary_ceid_index    INTEGER CHECK (secondary_ceid_index BETWEEN 1 AND 999)
        );
        CREATE TABLE dhcp_leases (
            mac        TEXT PRIMARY KEY,
            address    INTEGER NOT NULL UNIQUE,
            expires_at INTEGER NOT NULL,
            state      INTEGER NOT NULL DEFAULT 0
        );
        """,

        // 2: leases keyed by address alone. A lease write then touches one B-tree, and addresses
        // handed out in order share its pages, where the MAC index scattered every write over
        // random pages (ten times the WAL traffic under load). One record per client is kept by
        // the server's in-memory table, which removes a client's old row when it moves.
        """
        CREATE TABLE dhcp_leases_by_address (
            address    INTEGER PRIMARY KEY,
            mac        TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            state      INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO dhcp_leases_by_address (address, mac, expires_at, state) SELECT address, mac, expires_at, state FROM dhcp_leases;
        DROP TABLE dhcp_leases;
        ALTER TABLE dhcp_leases_by_address RENAME TO dhcp_leases;
        """,

        // 3: registration by MAC. `programmed` marks a MAC the administrator entered (a set that
        // registers by its MAC, without a PIN) apart from one learned from a PIN registration.
        // remote_set_reservations holds MACs reserved on another element's DN, so that a device
        // without PIN memory that reaches this element first (its DHCP element) is redirected home.
        """
        ALTER TABLE multiline_ip_sets ADD COLUMN programmed INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE remote_set_reservations (
            mac TEXT PRIMARY KEY,
            dn  TEXT NOT NULL CHECK (length(dn) BETWEEN 1 AND 7)
        );
        """,
    };
}
