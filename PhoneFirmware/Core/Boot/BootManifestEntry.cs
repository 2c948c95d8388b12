namespace PhoneFirmware.Core.Boot;

/// <summary>One line of the boot manifest: what a boot file must be.</summary>
public sealed class BootManifestEntry
{
    public string Name { get; set; } = string.Empty;

    public long Size { get; set; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    public string Sha256 { get; set; } = string.Empty;

    /// <summary>The image version, or empty.</summary>
    public string Version { get; set; } = string.Empty;
}
