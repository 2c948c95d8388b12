using System;
using System.Collections.Generic;

namespace PhoneFirmware.Host.Terminal;

/// <summary>
/// Lays a <see cref="TerminalFrame"/> out as terminal rows: the display in an ASCII box (plain
/// ASCII so any terminal and `tmux capture-pane` show it alike), its progress bar, then the status.
/// Pure: the same frame and size always give the same rows.
/// </summary>
public static class TerminalScreen
{
    public const string KeyHelp = "keys: 0-9 * # Enter=OK Bksp | p power cycle | s power up holding * | q quit";

    /// <summary>The rows for a terminal of <paramref name="width"/> x <paramref name="height"/>; longer rows are cut, extra rows dropped.</summary>
    public static string[] Render(TerminalFrame frame, int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            return Array.Empty<string>();
        }

        int columns = Math.Max(frame.DisplayColumns, 1);
        string border = "+" + new string('-', columns) + "+";
        List<string> rows = new() { border };
        foreach (string line in frame.DisplayLines)
        {
            rows.Add("|" + Fit(line, columns) + "|");
        }

        rows.Add("|" + ProgressBar(frame.ProgressPercent, columns) + "|");
        rows.Add(border);
        rows.Add(frame.Status);
        rows.Add("last: " + frame.LastEvent);
        rows.Add(KeyHelp);

        int count = Math.Min(rows.Count, height);
        string[] result = new string[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = rows[i].Length > width ? rows[i].Substring(0, width) : rows[i];
        }

        return result;
    }

    /// <summary>`[#####-----] 45%` in <paramref name="columns"/> characters; blank when hidden.</summary>
    public static string ProgressBar(int percent, int columns)
    {
        if (percent < 0)
        {
            return new string(' ', columns);
        }

        percent = Math.Min(percent, 100);
        string label = " " + percent + "%";
        int inner = columns - 2 - label.Length;
        if (inner < 1)
        {
            return Fit(label.TrimStart(), columns);
        }

        int filled = inner * percent / 100;
        return Fit("[" + new string('#', filled) + new string('-', inner - filled) + "]" + label, columns);
    }

    private static string Fit(string text, int columns)
    {
        return text.Length > columns ? text.Substring(0, columns) : text.PadRight(columns);
    }
}
