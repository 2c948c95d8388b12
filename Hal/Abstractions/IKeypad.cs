namespace Hal;

/// <summary>
/// The phone's keypad: keys '0'..'9', '*', '#'. Drivers debounce and queue presses;
/// the core polls without blocking.
/// </summary>
public interface IKeypad
{
    /// <summary>The next queued key press, or <see cref="Keys.None"/> when none is waiting.</summary>
    char ReadKey();

    /// <summary>True while the key is held down (sampled at power-up for the '*' PIN reset).</summary>
    bool IsHeld(char key);
}
