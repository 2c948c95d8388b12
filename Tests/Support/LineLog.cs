using System;
using System.Collections.Generic;

namespace Tests.Support;

/// <summary>
/// Output lines as they arrive (a process's stdout and stderr, a server's log events), safe to
/// add to from another thread. A test takes a cursor (<see cref="Here"/>) just before an action
/// and waits on it for the event that follows: lines printed before the action are never seen.
/// </summary>
public sealed class LineLog
{
    private readonly List<string> _lines = new();

    public int Count
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    public string Text
    {
        get
        {
            lock (_lines)
            {
                return string.Join("\n", _lines);
            }
        }
    }

    public void Add(string? line)
    {
        if (line != null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    /// <summary>A cursor at the end of what has arrived so far: take it before the action.</summary>
    public OutputCursor Here()
    {
        return new OutputCursor(this, Count);
    }

    /// <summary>The index of the first line at or after <paramref name="from"/> containing <paramref name="text"/>, else -1.</summary>
    internal int Find(string text, int from, out string? line)
    {
        lock (_lines)
        {
            for (int i = from; i < _lines.Count; i++)
            {
                if (_lines[i].Contains(text, StringComparison.Ordinal))
                {
                    line = _lines[i];
                    return i;
                }
            }
        }

        line = null;
        return -1;
    }

    /// <summary>The lines from <paramref name="from"/> on, joined (for assertion messages).</summary>
    internal string TextFrom(int from)
    {
        lock (_lines)
        {
            return string.Join("\n", _lines.GetRange(Math.Min(from, _lines.Count), _lines.Count - Math.Min(from, _lines.Count)));
        }
    }
}
