using System;
using System.Diagnostics;

namespace Tests.Support;

/// <summary>A long-running process (a controller) whose output lines the test can wait for; killed on dispose.</summary>
public sealed class BackgroundProcess : IDisposable
{
    private readonly Process _process;
    private readonly LineLog _lines = new();

    public BackgroundProcess(string fileName, string arguments, string workingDirectory)
    {
        ProcessStartInfo start = new(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + fileName);
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => _lines.Text;

    /// <summary>A cursor at the end of the output so far: take it before an action, then wait on it for what follows.</summary>
    public OutputCursor Here()
    {
        return _lines.Here();
    }

    /// <summary>Waits on <paramref name="cursor"/> (see <see cref="Here"/>) for a line containing <paramref name="text"/>; false on timeout or exit.</summary>
    public bool WaitForLineAfter(OutputCursor cursor, string text, TimeSpan timeout)
    {
        return cursor.WaitFor(text, timeout, Exited) != null;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Waits until a line containing <paramref name="text"/> appears anywhere in the output; false
    /// on timeout or exit. For start-up lines only: after an action use <see cref="WaitForLineAfter"/>.
    /// </summary>
    public bool WaitForLine(string text, TimeSpan timeout)
    {
        return WaitForLine(text, timeout, 0);
    }

    /// <summary>The process id (the program itself: `dotnet app.dll` runs in the dotnet process).</summary>
    public int Id => _process.Id;

    /// <summary>How many lines it has printed so far: a position to wait from (<see cref="WaitForLine(string, TimeSpan, int)"/>).</summary>
    public int LineCount => _lines.Count;

    /// <summary>The exit code, once <see cref="WaitForExit"/> returned true.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>As <see cref="WaitForLine(string, TimeSpan)"/>, looking only at lines from position <paramref name="from"/> on.</summary>
    public bool WaitForLine(string text, TimeSpan timeout, int from)
    {
        return new OutputCursor(_lines, from).WaitFor(text, timeout, Exited) != null;
    }

    /// <summary>Sends a signal (TERM, INT, KILL) with kill(1).</summary>
    public void Signal(string name)
    {
        using Process kill = Process.Start("kill", "-" + name + " " + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to end and its output to be read; false on timeout.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    // True once the process has ended and its last lines are read.
    private bool Exited()
    {
        if (!_process.HasExited)
        {
            return false;
        }

        _process.WaitForExit();
        return true;
    }

    private void Add(string? line)
    {
        _lines.Add(line);
    }
}
