namespace PhoneFirmware.Core.Boot;

/// <summary>Where <see cref="BootFileStage"/> is in fetching the boot files.</summary>
public enum BootFileStep
{
    /// <summary>Not started, or stopped.</summary>
    Idle,

    /// <summary>Looking the current TFTP server's name up at the lease's DNS servers.</summary>
    Resolving,

    /// <summary>Fetching the current server's manifest.</summary>
    FetchingManifest,

    /// <summary>Fetching the current file, hashing it as it streams.</summary>
    FetchingFile,

    /// <summary>Fetching the image file straight into the half of the image flash the installed image does not use.</summary>
    FetchingImage,

    /// <summary>Every file fetched (or skipped as installed).</summary>
    Completed,

    /// <summary>Every server failed for one file.</summary>
    Failed,
}
