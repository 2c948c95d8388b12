namespace PhoneFirmware.Core.TestPort;

/// <summary>What the test port may do to the phone; implemented by each entry point (device, host emulator).</summary>
public interface ITestPortPhone
{
    /// <summary>Queues the keys as key presses, in order; false, with nothing queued, when they do not all fit.</summary>
    bool PressKeys(string keys);

    /// <summary>Asks for a power cycle (done by the entry point's loop), with '*' held through the power-up if asked.</summary>
    void Restart(bool holdStar);

    int ScreenRows { get; }

    string ScreenLine(int row);
}
