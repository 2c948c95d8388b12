namespace Controller.Registration;

/// <summary>The element's registration rules that are settings rather than forms.</summary>
public sealed class RegistrationPolicy
{
    /// <summary>Wrong PINs in a row before the set is locked out.</summary>
    public int WrongPinLimit { get; init; } = 3;

    public long LockoutMilliseconds { get; init; } = 60_000;

    /// <summary>Set types with no PIN memory (the 5540 IP console, the 5485 IP paging unit): registered by reservation only.</summary>
    public int[] NoPinMemorySetTypes { get; init; } = { 5540, 5485 };

    /// <summary>May a set registered at its secondary go back to its primary once it answers ("Allow Return to Primary ICP").</summary>
    public bool AllowReturnToPrimary { get; init; } = true;

    /// <summary>Automatic DN Selection gives up after this many DNs in a row that are local-only.</summary>
    public int AutomaticDnSkipLimit { get; init; } = 10;
}
