namespace PhoneFirmware.Core.Storage;

/// <summary>What the phone keeps in flash between power cycles: the PIN it registered with, if any.</summary>
public sealed class PinRecord
{
    public PinRecord(uint sequence, string? pin)
    {
        Sequence = sequence;
        Pin = pin;
    }

    /// <summary>Increases with every write; the slot with the newer valid sequence wins.</summary>
    public uint Sequence { get; }

    /// <summary>The stored PIN (access code + DN), or null when none is stored.</summary>
    public string? Pin { get; }
}
