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
        return cursor.WaitFor(text, timeout, () => _process.HasExited) != null;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Waits until a line containing <paramref name="text"/> appears anywhere in the output; false
    /// on timeout or exit. For start-up lines only: after an action use <see cref="WaitForLineAfter"/>.
    /// </summary>
    public bool WaitForLine(string text, TimeSpan timeout)
    {
        return new OutputCursor(_lines, 0).WaitFor(text, timeout, () => _process.HasExited) != null;
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

    private void Add(string? line)
    {
        _lines.Add(line);
    }
}
