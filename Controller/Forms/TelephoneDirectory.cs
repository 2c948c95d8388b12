using System.Collections.Generic;
using Controller.Database;
using Microsoft.Data.Sqlite;

namespace Controller.Forms;

/// <summary>The Telephone Directory form: the DNs programmed on this element.</summary>
public sealed class TelephoneDirectory
{
    private readonly ElementDatabase _database;

    // number -> name, read on every registration; loaded whole, written through.
    private readonly Dictionary<string, string> _names = new(System.StringComparer.Ordinal);
    private long _cacheGeneration = -1;

    public TelephoneDirectory(ElementDatabase database)
    {
        _database = database;
    }

    public void Add(string number, string name)
    {
        FormValidation.DirectoryNumber(number);
        FormValidation.Name(name);
        try
        {
            _database.Execute("INSERT INTO telephone_directory (number, name) VALUES ($number, $name)", ("$number", number), ("$name", name));
        }
        catch (SqliteException error) when (error.SqliteErrorCode == 19)
        {
            throw new FormException("directory number " + number + " is already in the Telephone Directory");
        }

        if (_database.InTransaction)
        {
            _database.InvalidateCaches(); // the caller's transaction may still roll back
        }
        else if (_cacheGeneration == _database.CacheGeneration)
        {
            _names[number] = name;
        }
    }

    /// <summary>Changes a DN's name; false when the DN is not programmed here.</summary>
    public bool Rename(string number, string name)
    {
        FormValidation.DirectoryNumber(number);
        FormValidation.Name(name);
        bool renamed = _database.Execute("UPDATE telephone_directory SET name = $name WHERE number = $number", ("$number", number), ("$name", name)) > 0;
        _database.InvalidateCaches();
        return renamed;
    }

    /// <summary>The name for a DN, or null when the DN is not programmed here.</summary>
    public string? Find(string number)
    {
        if (_database.InTransaction)
        {
            return (string?)_database.Scalar("SELECT name FROM telephone_directory WHERE number = $number", ("$number", number));
        }

        if (_cacheGeneration != _database.CacheGeneration)
        {
            _names.Clear();
            foreach ((string entry, string name) in List())
            {
                _names[entry] = name;
            }

            _cacheGeneration = _database.CacheGeneration;
        }

        return _names.TryGetValue(number, out string? found) ? found : null;
    }

    /// <summary>Deletes a DN (and, by cascade, its Multiline IP Set row); false when it was not there.</summary>
    public bool Delete(string number)
    {
        bool deleted = _database.Execute("DELETE FROM telephone_directory WHERE number = $number", ("$number", number)) > 0;
        _database.InvalidateCaches(); // the cascade changed Multiline IP Sets too
        return deleted;
    }

    public List<(string Number, string Name)> List()
    {
        List<(string, string)> entries = new();
        using SqliteCommand command = _database.Command("SELECT number, name FROM telephone_directory ORDER BY number");
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add((reader.GetString(0), reader.GetString(1)));
        }

        return entries;
    }
}
