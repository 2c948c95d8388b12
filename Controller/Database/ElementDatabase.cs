using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace Controller.Database;

/// <summary>
/// One cluster element's database: a SQLite file holding the forms (System Options, Telephone
/// Directory, Multiline IP Sets, Cluster Elements, ICP/PBX Networking, Remote Directory Numbers)
/// and the DHCP leases. Opening it brings the schema up to date.
/// </summary>
public sealed class ElementDatabase : IDisposable
{
    private readonly SqliteConnection _connection;

    // Prepared statements by SQL text. Parsing and planning a statement cost more than running it
    // (a registration storm spent most of its SQLite time in the parser), so the fixed statements
    // of the forms are prepared once. Callers hold the element's database gate, as for every use of
    // the connection, so the cache needs no lock of its own.
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    private ElementDatabase(SqliteConnection connection, bool created)
    {
        _connection = connection;
        WasCreated = created;
    }

    /// <summary>True when this open created the schema (a new element: seed it from the configuration).</summary>
    public bool WasCreated { get; }

    public SqliteConnection Connection => _connection;

    public static ElementDatabase Open(string path)
    {
        SqliteConnectionStringBuilder builder = new() { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        SqliteConnection connection = new(builder.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        long version = Convert.ToInt64(Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Migrations.Steps.Length)
        {
            connection.Dispose();
            throw new InvalidOperationException("database " + path + " has schema version " + version + ", newer than this controller knows (" + Migrations.Steps.Length + ")");
        }

        for (long step = version; step < Migrations.Steps.Length; step++)
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            Execute(connection, Migrations.Steps[step], transaction);
            Execute(connection, "INSERT INTO schema_version (version) VALUES (" + (step + 1) + ")", transaction);
            transaction.Commit();
        }

        return new ElementDatabase(connection, version == 0);
    }

    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// A prepared command for <paramref name="sql"/>, kept for the life of the database, with the
    /// parameters set and the open transaction (if any) attached. Do not dispose it; dispose its reader.
    /// </summary>
    public SqliteCommand Prepared(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out SqliteCommand? command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach ((string name, object? _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _prepared[sql] = command;
        }

        // A completed transaction has no connection any more.
        command.Transaction = _transaction?.Connection != null ? _transaction : null;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command;
    }

    /// <summary>
    /// A statement that changes the forms: prepared afresh each time, as before. Writes are rare on
    /// the registration path, and a cached statement whose step failed (a constraint) would report
    /// that error again from its next reset.
    /// </summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>A lookup, through the prepared statement cache: the registration path runs several per frame.</summary>
    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        object? value = Prepared(sql, parameters).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>
    /// The forms keep in-memory copies of what the registration path reads (write-through). A write
    /// they cannot follow entry by entry (a cascade, a caller's transaction that may roll back, a
    /// rare admin change) bumps this, and each copy reloads from the database at its next read.
    /// </summary>
    public long CacheGeneration { get; private set; }

    /// <summary>True while a transaction is open: reads then go to the database, which alone sees its uncommitted rows.</summary>
    public bool InTransaction => _transaction?.Connection != null;

    public void InvalidateCaches()
    {
        CacheGeneration++;
    }

    public SqliteTransaction BeginTransaction()
    {
        _transaction = _connection.BeginTransaction();
        return _transaction;
    }

    public void Dispose()
    {
        foreach (SqliteCommand command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
        _connection.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
