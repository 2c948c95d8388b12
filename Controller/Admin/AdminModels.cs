using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Controller.Admin;

// The admin API's JSON shapes (camelCase on the wire). Optional fields are nullable so a missing
// one is reported by the form's own validation, not as a framework error.
public sealed record AdminError(string Error);

public sealed record LiveRegistration(string Mac, string Dn);

public sealed record DirectoryEntry(string? Number, string? Name, int? SecondaryCeidIndex);

public sealed record SetEntry(string? Mac, string? Dn, bool? PinMemory);

public sealed record RemoteEntry(string? Number, int? CeidIndex, int? SecondaryCeidIndex);

public sealed record ElementEntry(int? CeidIndex, string? CeidDigits, bool? IsLocal, string? Address, int? RegistrationPort, string? Comment);

public sealed record SystemOptionsEntry(string? RegistrationAccessCode, string? ReplacementAccessCode, string? AutomaticDnRange);

/// <summary>How many live sets were told to reset by a deletion.</summary>
public sealed record Changed(int SetsReset);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(List<LiveRegistration>))]
[JsonSerializable(typeof(DirectoryEntry))]
[JsonSerializable(typeof(List<DirectoryEntry>))]
[JsonSerializable(typeof(SetEntry))]
[JsonSerializable(typeof(List<SetEntry>))]
[JsonSerializable(typeof(RemoteEntry))]
[JsonSerializable(typeof(List<RemoteEntry>))]
[JsonSerializable(typeof(ElementEntry))]
[JsonSerializable(typeof(List<ElementEntry>))]
[JsonSerializable(typeof(SystemOptionsEntry))]
[JsonSerializable(typeof(Changed))]
public sealed partial class AdminJsonContext : JsonSerializerContext
{
}
