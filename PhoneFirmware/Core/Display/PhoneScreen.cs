using Hal;
using PhoneFirmware.Core.Events;

namespace PhoneFirmware.Core.Display;

/// <summary>
/// The display as the core uses it: two lines of status, each change also reported as a
/// `display` event so scripts and the HIL runner can read the screen.
/// </summary>
public sealed class PhoneScreen
{
    private readonly IDisplay _display;
    private readonly IPhoneEventSink _events;
    private readonly string[] _lines;
    private int _progress = -1;

    public PhoneScreen(IDisplay display, IPhoneEventSink events)
    {
        _display = display;
        _events = events;
        _lines = new string[display.Rows < 2 ? 2 : display.Rows];
        for (int i = 0; i < _lines.Length; i++)
        {
            _lines[i] = string.Empty;
        }
    }

    /// <summary>Lines of text the screen keeps (at least two, even on a one-line display).</summary>
    public int Rows => _lines.Length;

    public string Line(int row)
    {
        return _lines[row];
    }

    public void Show(string top, string bottom)
    {
        SetLine(0, top);
        SetLine(1, bottom);
    }

    public void SetLine(int row, string text)
    {
        if (row >= _lines.Length || _lines[row] == text)
        {
            return;
        }

        _lines[row] = text;
        if (row < _display.Rows)
        {
            _display.ShowLine(row, text);
        }

        _events.Publish(new PhoneEvent(EventNames.Display).With("row", row).With("text", text));
    }

    public void Progress(int percent)
    {
        if (percent == _progress)
        {
            return;
        }

        _progress = percent;
        _display.ShowProgress(percent);
    }
}
