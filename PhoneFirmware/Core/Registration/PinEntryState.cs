namespace PhoneFirmware.Core.Registration;

public enum PinEntryState
{
    /// <summary>No prompt: keys are read and discarded, so none leaks into the next PIN.</summary>
    Closed,

    /// <summary>Prompting: keys are collected, echoed, erased and confirmed.</summary>
    Open,
}
