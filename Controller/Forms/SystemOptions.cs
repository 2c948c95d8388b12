using Controller.Database;

namespace Controller.Forms;

/// <summary>The System Options form: here, the Set Registration and Set Replacement Access Codes.</summary>
public sealed class SystemOptions
{
    public const string DefaultRegistrationAccessCode = "***";
    public const string DefaultReplacementAccessCode = "###";
    private readonly ElementDatabase _database;
    private readonly System.Collections.Generic.Dictionary<string, string?> _cache = new(System.StringComparer.Ordinal);
    private long _cacheGeneration = -1;

    public SystemOptions(ElementDatabase database)
    {
        _database = database;
    }

    public string RegistrationAccessCode
    {
        get => Get("registration_access_code") ?? DefaultRegistrationAccessCode;
        set => Set("registration_access_code", FormValidation.AccessCode(value, "registration access code"));
    }

    public string ReplacementAccessCode
    {
        get => Get("replacement_access_code") ?? DefaultReplacementAccessCode;
        set => Set("replacement_access_code", FormValidation.AccessCode(value, "replacement access code"));
    }

    /// <summary>
    /// The DN range Automatic DN Selection hunts in (userless devices: the installer enters only
    /// the registration access code), as "first-last", or empty when the feature is off.
    /// </summary>
    public string AutomaticDnRange
    {
        get => Get("automatic_dn_range") ?? string.Empty;
        set => Set("automatic_dn_range", ValidateRange(value));
    }

    /// <summary>Where the next hunt starts (the hunt is circular).</summary>
    public string AutomaticDnCursor
    {
        get => Get("automatic_dn_cursor") ?? string.Empty;
        set => Set("automatic_dn_cursor", value);
    }

    private static string ValidateRange(string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        string[] parts = value.Split('-');
        if (parts.Length != 2 || !long.TryParse(parts[0], out long first) || !long.TryParse(parts[1], out long last)
            || parts[0].Length != parts[1].Length || first > last)
        {
            throw new FormException("automatic DN range must be FIRST-LAST with digits of equal length, like 2000-2099, not '" + value + "'");
        }

        FormValidation.DirectoryNumber(parts[0]);
        return value;
    }

    // The access codes are read on every registration: from memory, written through.
    private string? Get(string name)
    {
        if (_database.InTransaction)
        {
            return Read(name);
        }

        if (_cacheGeneration != _database.CacheGeneration)
        {
            _cache.Clear();
            _cacheGeneration = _database.CacheGeneration;
        }

        if (!_cache.TryGetValue(name, out string? value))
        {
            value = Read(name);
            _cache[name] = value;
        }

        return value;
    }

    private string? Read(string name)
    {
        return (string?)_database.Scalar("SELECT value FROM system_options WHERE name = $name", ("$name", name));
    }

    private void Set(string name, string value)
    {
        _database.Execute("INSERT INTO system_options (name, value) VALUES ($name, $value) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$name", name), ("$value", value));
        if (_database.InTransaction)
        {
            _database.InvalidateCaches(); // the caller's transaction may still roll back
        }
        else if (_cacheGeneration == _database.CacheGeneration)
        {
            _cache[name] = value;
        }
    }
}
