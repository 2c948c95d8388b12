using System;
using System.IO;

namespace Tests.Support;

/// <summary>Finds the repository and build outputs from the running test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            string? directory = AppContext.BaseDirectory;
            while (directory != null && !File.Exists(Path.Combine(directory, "PhoneFirmware.sln")))
            {
                directory = Path.GetDirectoryName(directory);
            }

            return directory ?? throw new InvalidOperationException("PhoneFirmware.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Debug or Release, whichever the tests were built as.</summary>
    public static string Configuration => AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string NuGetPackages => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
