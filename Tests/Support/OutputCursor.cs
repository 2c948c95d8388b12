using System;
using System.Threading;

namespace Tests.Support;

/// <summary>
/// A position in a <see cref="LineLog"/>. <see cref="WaitFor"/> looks only at lines after the
/// position and moves it past the line found, so successive waits read events in their order.
/// </summary>
public sealed class OutputCursor
{
    private readonly LineLog _log;
    private int _position;

    internal OutputCursor(LineLog log, int position)
    {
        _log = log;
        _position = position;
    }

    /// <summary>Everything after the cursor (for assertion messages).</summary>
    public string Since => _log.TextFrom(_position);

    /// <summary>
    /// Waits for a line after the cursor containing <paramref name="text"/>; returns it and moves
    /// the cursor past it. Null on timeout, or once <paramref name="gaveUp"/> (a process exited)
    /// is true and no such line has come.
    /// </summary>
    public string? WaitFor(string text, TimeSpan timeout, Func<bool>? gaveUp = null)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (true)
        {
            bool last = gaveUp != null && gaveUp();
            int index = _log.Find(text, _position, out string? line);
            if (index >= 0)
            {
                _position = index + 1;
                return line;
            }

            if (last || DateTime.UtcNow >= until)
            {
                return null;
            }

            Thread.Sleep(20);
        }
    }
}
