namespace PhoneFirmware.Host.Terminal;

/// <summary>What the terminal view shows at one moment: the phone's display and a status line.</summary>
/// <param name="DisplayLines">The display's text lines, top first, as the core drew them.</param>
/// <param name="DisplayColumns">The display's width in characters.</param>
/// <param name="ProgressPercent">The progress bar, 0 to 100, or negative when hidden.</param>
/// <param name="Status">The phone's state, MAC and power-up count.</param>
/// <param name="LastEvent">The last event other than a display change, as `--events text` prints it.</param>
public sealed record TerminalFrame(string[] DisplayLines, int DisplayColumns, int ProgressPercent, string Status, string LastEvent);
