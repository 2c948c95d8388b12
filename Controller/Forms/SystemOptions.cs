using Controller.Database;

namespace Controller.Forms;

/// <summary>The System Options form: here, the Set Registration and Set Replacement Access Codes.</summary>
public sealed class SystemOptions
{
    public const string DefaultRegistrationAccessCode = "***";
    public const string DefaultReplacementAccessCode = "###";
    private readonly ElementDatabase _database;

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

    private string? Get(string name)
    {
        return (string?)_database.Scalar("SELECT value FROM system_options WHERE name = $name", ("$name", name));
    }

    private void Set(string name, string value)
    {
        _database.Execute("INSERT INTO system_options (name, value) VALUES ($name, $value) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$name", name), ("$value", value));
    }
}
