using System;
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

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        object? value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public SqliteTransaction BeginTransaction()
    {
        return _connection.BeginTransaction();
    }

    public void Dispose()
    {
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
