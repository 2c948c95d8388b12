using System.Collections.Generic;
using Controller.Database;
using Microsoft.Data.Sqlite;

namespace Controller.Forms;

/// <summary>The Telephone Directory form: the DNs programmed on this element.</summary>
public sealed class TelephoneDirectory
{
    private readonly ElementDatabase _database;

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
    }

    /// <summary>The name for a DN, or null when the DN is not programmed here.</summary>
    public string? Find(string number)
    {
        return (string?)_database.Scalar("SELECT name FROM telephone_directory WHERE number = $number", ("$number", number));
    }

    /// <summary>Deletes a DN (and, by cascade, its Multiline IP Set row); false when it was not there.</summary>
    public bool Delete(string number)
    {
        return _database.Execute("DELETE FROM telephone_directory WHERE number = $number", ("$number", number)) > 0;
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
