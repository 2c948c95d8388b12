using System;
using System.IO;
using System.Text.Json;

namespace Controller.Admin;

/// <summary>
/// The file through which `controller admin` finds a running element: its API URL and bearer
/// token, readable by the owner only.
/// </summary>
public static class AdminEndpoint
{
    public static void Write(string path, Uri address, string token)
    {
        string json = JsonSerializer.Serialize(new EndpointFile(address.ToString(), token), AdminEndpointJsonContext.Default.EndpointFile);
        using (FileStream stream = new(path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using StreamWriter writer = new(stream);
            writer.Write(json);
        }
    }

    public static (Uri Address, string Token) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no running element found: " + path + " does not exist (is `controller serve` running with this configuration?)");
        }

        EndpointFile? file = JsonSerializer.Deserialize(File.ReadAllText(path), AdminEndpointJsonContext.Default.EndpointFile);
        if (file == null || file.Url == null || file.Token == null)
        {
            throw new InvalidDataException(path + " is not an admin endpoint file");
        }

        return (new Uri(file.Url), file.Token);
    }

    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind: the next start overwrites it.
        }
    }
}

public sealed record EndpointFile(string? Url, string? Token);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(EndpointFile))]
public sealed partial class AdminEndpointJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
