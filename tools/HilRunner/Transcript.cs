using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace HilRunner;

/// <summary>The run as a person reads it: every line sent and received and every step's result, timed from the start.</summary>
public sealed class Transcript
{
    private readonly TextWriter _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public Transcript(TextWriter output)
    {
        _output = output;
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Sent(string line)
    {
        Write("> " + line);
    }

    public void Received(string line)
    {
        Write("< " + line);
    }

    public void Note(string text)
    {
        Write(text);
    }

    private void Write(string text)
    {
        _output.WriteLine(_clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture).PadLeft(9) + "  " + text);
        _output.Flush();
    }
}
