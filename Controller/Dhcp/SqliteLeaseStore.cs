using System;
using System.Collections.Generic;
using Controller.Database;
using Microsoft.Data.Sqlite;
using Protocol.Dhcp;

namespace Controller.Dhcp;

/// <summary>
/// The DHCP lease table in the element's database, so leases survive a controller restart.
/// The table is read once at start-up and then served from memory (the DHCP server is its only
/// writer); every change is written through to SQLite. Outside a batch each change is its own
/// transaction. Inside one (<see cref="BeginBatch"/> … <see cref="CommitBatch"/>) the changes of a
/// burst of requests are kept and committed together, so the host can send the burst's replies
/// after one commit instead of one per lease: a group commit, as Kea's memfile appends.
/// Offered records are kept in memory only (an offer is no promise; after a restart the client's
/// REQUEST gets a NAK and it starts again); bound and declined records and every delete are written.
/// Memory is bounded by the table: every record holds a distinct address. The prepared statements
/// are closed with the database's connection.
/// </summary>
public sealed class SqliteLeaseStore : IDhcpLeaseStore
{
    // The table is keyed by address (see migration 2); the client's uniqueness is kept here.
    private const string UpsertSql = "INSERT OR REPLACE INTO dhcp_leases (address, mac, expires_at, state) VALUES ($address, $key, $expires, $state)";

    private const string DeleteSql = "DELETE FROM dhcp_leases WHERE address = $address";

    private readonly ElementDatabase _database;
    private readonly object _gate;
    private readonly Dictionary<string, DhcpLeaseRecord> _byClient = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, DhcpLeaseRecord> _byAddress = new();

    // Changes not yet written, in order: a record to write, or an address (uint) whose row goes.
    private readonly List<object> _pending = new();
    private SqliteCommand? _upsert;
    private SqliteCommand? _delete;
    private SqliteCommand? _begin;
    private SqliteCommand? _commit;
    private bool _batching;

    public SqliteLeaseStore(ElementDatabase database, object gate)
    {
        _database = database;
        _gate = gate;
        Load();
    }

    /// <summary>Records in the table (offered, bound and declined).</summary>
    public int Count => _byClient.Count;

    /// <summary>Changes made since <see cref="BeginBatch"/>, not yet committed.</summary>
    public int PendingChanges => _pending.Count;

    /// <summary>
    /// Bound records saved so far (a running count). A reply whose handling raised it promises a
    /// lease (an ACK), so it must wait for the commit; an offer promises nothing.
    /// </summary>
    public long BoundSaves { get; private set; }

    public DhcpLeaseRecord? FindByClient(string clientKey)
    {
        return _byClient.TryGetValue(clientKey, out DhcpLeaseRecord? record) ? record : null;
    }

    public DhcpLeaseRecord? FindByAddress(uint address)
    {
        return _byAddress.TryGetValue(address, out DhcpLeaseRecord? record) ? record : null;
    }

    /// <summary>A lease was written (any state), for the web admin's event log.</summary>
    public event Action<DhcpLeaseRecord>? Saved;

    public void Save(DhcpLeaseRecord record)
    {
        DhcpLeaseRecord copy = new() { ClientKey = record.ClientKey, Address = record.Address, ExpiresAt = record.ExpiresAt, State = record.State };
        Saved?.Invoke(copy);
        if (_byClient.TryGetValue(copy.ClientKey, out DhcpLeaseRecord? previous) && previous.Address != copy.Address)
        {
            _byAddress.Remove(previous.Address);
            Write(previous.Address);
        }

        _byClient[copy.ClientKey] = copy;
        _byAddress[copy.Address] = copy;
        if (copy.State == DhcpLeaseState.Bound)
        {
            BoundSaves++;
        }

        // An offer promises nothing (RFC 2131 §4.3.1: the server need not reserve it), so it lives
        // in memory only: a flood of DISCOVERs writes no rows. Deletes are still written, in
        // order, so a client never has two rows in the file.
        if (copy.State != DhcpLeaseState.Offered)
        {
            Write(copy);
        }
    }

    public void Remove(string clientKey)
    {
        if (_byClient.Remove(clientKey, out DhcpLeaseRecord? previous))
        {
            _byAddress.Remove(previous.Address);
            Write(previous.Address);
        }
    }

    /// <summary>From now on changes are kept until <see cref="CommitBatch"/>.</summary>
    public void BeginBatch()
    {
        _batching = true;
    }

    /// <summary>
    /// Writes the batch's changes in one transaction and ends the batch. When the write fails the
    /// table is read back from the database (the batch's changes are lost) and the error is thrown:
    /// the caller must not send the replies of the batch.
    /// </summary>
    public void CommitBatch()
    {
        _batching = false;
        if (_pending.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            // Prepared BEGIN and COMMIT, not a SqliteTransaction, which parses both statements and
            // allocates a transaction and two commands on every commit (one per burst of ACKs).
            // No other statement runs on the connection while the gate is held.
            _begin ??= Prepare("BEGIN IMMEDIATE");
            _commit ??= Prepare("COMMIT");
            bool begun = false;
            try
            {
                _begin.ExecuteNonQuery();
                begun = true;
                foreach (object change in _pending)
                {
                    Apply(change);
                }

                _commit.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                if (begun)
                {
                    RollBack();
                }

                _pending.Clear();
                DisposeCommands();
                Load();
                throw;
            }
        }

        _pending.Clear();
    }

    private void Write(object change)
    {
        if (_batching)
        {
            _pending.Add(change);
            return;
        }

        lock (_gate)
        {
            try
            {
                Apply(change);
            }
            catch (SqliteException)
            {
                DisposeCommands();
                Load();
                throw;
            }
        }
    }

    private void Apply(object change)
    {
        if (change is DhcpLeaseRecord record)
        {
            _upsert ??= Prepare(UpsertSql, "$address", "$key", "$expires", "$state");
            _upsert.Parameters[0].Value = (long)record.Address;
            _upsert.Parameters[1].Value = record.ClientKey;
            _upsert.Parameters[2].Value = record.ExpiresAt;
            _upsert.Parameters[3].Value = (long)record.State;
            _upsert.ExecuteNonQuery();
        }
        else
        {
            _delete ??= Prepare(DeleteSql, "$address");
            _delete.Parameters[0].Value = (long)(uint)change;
            _delete.ExecuteNonQuery();
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        SqliteCommand command = _database.Connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    // A failed row (a constraint, a trigger's ABORT) or a busy COMMIT leaves the transaction open.
    private void RollBack()
    {
        try
        {
            using SqliteCommand rollback = _database.Connection.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // No transaction was left open (SQLite rolled back itself).
        }
    }

    // A statement whose step failed reports that error again from its next reset: start afresh.
    private void DisposeCommands()
    {
        _begin?.Dispose();
        _begin = null;
        _commit?.Dispose();
        _commit = null;
        _upsert?.Dispose();
        _upsert = null;
        _delete?.Dispose();
        _delete = null;
    }

    private void Load()
    {
        _byClient.Clear();
        _byAddress.Clear();
        lock (_gate)
        {
            using SqliteCommand command = _database.Command("SELECT mac, address, expires_at, state FROM dhcp_leases");
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                DhcpLeaseRecord record = new()
                {
                    ClientKey = reader.GetString(0),
                    Address = (uint)reader.GetInt64(1),
                    ExpiresAt = reader.GetInt64(2),
                    State = (DhcpLeaseState)reader.GetInt64(3),
                };
                // Each move deletes the client's old row in the same commit, so a client has one row;
                // should a file hold two, the later wins and the earlier row is overwritten when reused.
                if (_byClient.TryGetValue(record.ClientKey, out DhcpLeaseRecord? earlier))
                {
                    _byAddress.Remove(earlier.Address);
                }

                _byClient[record.ClientKey] = record;
                _byAddress[record.Address] = record;
            }
        }
    }
}
