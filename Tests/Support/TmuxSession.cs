using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Tests.Support;

/// <summary>
/// A detached tmux session running one command in a pane of a fixed size, driven as a person
/// would: read the screen (`capture-pane -p`), type (`send-keys -l`). Each session runs on its own
/// tmux server socket, so tests never see each other's (or a user's) sessions; dispose kills the
/// server and removes its socket.
/// </summary>
public sealed class TmuxSession : IDisposable
{
    private const string Target = "main";
    private readonly string _socket = Path.Combine(Path.GetTempPath(), "phonefirmware-tmux-" + Guid.NewGuid().ToString("N")[..8]);

    public TmuxSession(string shellCommand, string workingDirectory, int width, int height)
    {
        Tmux("new-session", "-d", "-s", Target, "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", workingDirectory, shellCommand);
    }

    /// <summary>The visible pane, one line per row.</summary>
    public string Screen()
    {
        return Tmux("capture-pane", "-p", "-t", Target);
    }

    /// <summary>Types <paramref name="keys"/> literally (no tmux key names: `#` is `#`).</summary>
    public void Type(string keys)
    {
        Tmux("send-keys", "-t", Target, "-l", keys);
    }

    /// <summary>Presses one key by its tmux name (Enter, BSpace).</summary>
    public void Press(string keyName)
    {
        Tmux("send-keys", "-t", Target, keyName);
    }

    /// <summary>Resizes the pane, as a person dragging the terminal window would.</summary>
    public void Resize(int width, int height)
    {
        Tmux("resize-window", "-t", Target, "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Waits until the screen satisfies <paramref name="condition"/>; fails the test with the last screen otherwise.</summary>
    public string WaitFor(Func<string, bool> condition, string description, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        string screen = Screen();
        while (!condition(screen))
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail("the screen never showed " + description + " within " + timeout + "; last screen:\n" + screen);
            }

            Thread.Sleep(100);
            screen = Screen();
        }

        return screen;
    }

    public void Dispose()
    {
        try
        {
            Tmux("kill-server");
        }
        catch (InvalidOperationException)
        {
            // the server already ended with its last session
        }

        File.Delete(_socket);
    }

    private string Tmux(params string[] arguments)
    {
        ProcessStartInfo start = new("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-S");
        start.ArgumentList.Add(_socket);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start tmux");
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new InvalidOperationException("tmux " + string.Join(' ', arguments) + " did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("tmux " + string.Join(' ', arguments) + " failed: " + error);
        }

        return output;
    }
}
