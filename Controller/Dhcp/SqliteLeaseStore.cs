using Controller.Database;
using Microsoft.Data.Sqlite;
using Protocol.Dhcp;

namespace Controller.Dhcp;

/// <summary>The DHCP lease table in the element's database, so leases survive a controller restart.</summary>
public sealed class SqliteLeaseStore : IDhcpLeaseStore
{
    private readonly ElementDatabase _database;
    private readonly object _gate;

    public SqliteLeaseStore(ElementDatabase database, object gate)
    {
        _database = database;
        _gate = gate;
    }

    public DhcpLeaseRecord? FindByClient(string clientKey)
    {
        return FindOne("SELECT mac, address, expires_at, state FROM dhcp_leases WHERE mac = $key", ("$key", clientKey));
    }

    public DhcpLeaseRecord? FindByAddress(uint address)
    {
        return FindOne("SELECT mac, address, expires_at, state FROM dhcp_leases WHERE address = $address", ("$address", (long)address));
    }

    public void Save(DhcpLeaseRecord record)
    {
        lock (_gate)
        {
            _database.Execute(
                "INSERT INTO dhcp_leases (mac, address, expires_at, state) VALUES ($key, $address, $expires, $state) "
                + "ON CONFLICT(mac) DO UPDATE SET address = excluded.address, expires_at = excluded.expires_at, state = excluded.state",
                ("$key", record.ClientKey),
                ("$address", (long)record.Address),
                ("$expires", record.ExpiresAt),
                ("$state", (long)record.State));
        }
    }

    public void Remove(string clientKey)
    {
        lock (_gate)
        {
            _database.Execute("DELETE FROM dhcp_leases WHERE mac = $key", ("$key", clientKey));
        }
    }

    private DhcpLeaseRecord? FindOne(string sql, (string Name, object? Value) parameter)
    {
        lock (_gate)
        {
            using SqliteCommand command = _database.Command(sql, parameter);
            using SqliteDataReader reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return new DhcpLeaseRecord
            {
                ClientKey = reader.GetString(0),
                Address = (uint)reader.GetInt64(1),
                ExpiresAt = reader.GetInt64(2),
                State = (DhcpLeaseState)reader.GetInt64(3),
            };
        }
    }
}
