using System;

namespace Hal.Host;

/// <summary>A display that only keeps its lines: the emulated phone reports them as events instead.</summary>
public sealed class HeadlessDisplay : IDisplay
{
    private readonly string[] _lines;

    public HeadlessDisplay(int rows, int columns)
    {
        _lines = new string[rows];
        Array.Fill(_lines, string.Empty);
        Columns = columns;
    }

    public int Rows => _lines.Length;

    public int Columns { get; }

    public int ProgressPercent { get; private set; } = -1;

    public string Line(int row)
    {
        return _lines[row];
    }

    public void ShowLine(int row, string text)
    {
        _lines[row] = text.Length > Columns ? text.Substring(0, Columns) : text;
    }

    public void ShowProgress(int percent)
    {
        ProgressPercent = percent;
    }

    public void Clear()
    {
        Array.Fill(_lines, string.Empty);
        ProgressPercent = -1;
    }
}
