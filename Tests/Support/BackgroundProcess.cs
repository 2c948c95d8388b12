using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace Tests.Support;

/// <summary>A long-running process (a controller) whose output lines the test can wait for; killed on dispose.</summary>
public sealed class BackgroundProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();

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

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join("\n", _lines);
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until a line containing <paramref name="text"/> appears; false on timeout or exit.</summary>
    public bool WaitForLine(string text, TimeSpan timeout)
    {
        return WaitForLine(text, timeout, 0);
    }

    /// <summary>The process id (the program itself: `dotnet app.dll` runs in the dotnet process).</summary>
    public int Id => _process.Id;

    /// <summary>How many lines it has printed so far: a position to wait from (<see cref="WaitForLine(string, TimeSpan, int)"/>).</summary>
    public int LineCount
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>The exit code, once <see cref="WaitForExit"/> returned true.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>As <see cref="WaitForLine(string, TimeSpan)"/>, looking only at lines from position <paramref name="from"/> on.</summary>
    public bool WaitForLine(string text, TimeSpan timeout, int from)
    {
        DateTime until = DateTime.UtcNow + timeout;
        do
        {
            lock (_lines)
            {
                for (int i = from; i < _lines.Count; i++)
                {
                    if (_lines[i].Contains(text, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }

            if (_process.HasExited)
            {
                _process.WaitForExit(); // the last lines are read
                lock (_lines)
                {
                    return _lines.FindIndex(from, line => line.Contains(text, StringComparison.Ordinal)) >= 0;
                }
            }

            Thread.Sleep(20);
        }
        while (DateTime.UtcNow < until);

        return false;
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

    private void Add(string? line)
    {
        if (line != null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
