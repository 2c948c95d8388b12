using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using Hal.Host;

namespace Tests.Integration;

/// <summary>
/// The host end of the serial test port (docs/test-port.md) for a test: sends command lines and
/// keeps every line the phone sent, so a test waits for what follows its action from the action's
/// position (<see cref="Count"/> before it). Reads on the calling thread while it waits.
/// </summary>
public sealed class SipTestPortClient : IDisposable
{
    private readonly TtySerialPort _port;
    private readonly List<string> _lines = new();
    private readonly StringBuilder _partial = new();
    private readonly byte[] _buffer = new byte[4096];

    public SipTestPortClient(string tty)
    {
        _port = new TtySerialPort(tty, 115200);
    }

    /// <summary>How many lines came so far: the position to wait from after the next command.</summary>
    public int Count
    {
        get
        {
            Read();
            return _lines.Count;
        }
    }

    public string Transcript => string.Join("\n", _lines);

    public void Send(string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line + "\n");
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += _port.Write(bytes, sent, bytes.Length - sent);
        }
    }

    /// <summary>The first line from position <paramref name="from"/> on that contains every one of <paramref name="parts"/>; null on timeout.</summary>
    public string? WaitFor(int from, TimeSpan timeout, params string[] parts)
    {
        DateTime until = DateTime.UtcNow + timeout;
        int next = from;
        while (true)
        {
            Read();
            for (; next < _lines.Count; next++)
            {
                if (Array.TrueForAll(parts, p => _lines[next].Contains(p, StringComparison.Ordinal)))
                {
                    return _lines[next];
                }
            }

            if (DateTime.UtcNow > until)
            {
                return null;
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>The position of the first line from <paramref name="from"/> on containing every one of <paramref name="parts"/>, or -1.</summary>
    public int IndexOf(int from, params string[] parts)
    {
        Read();
        for (int i = from; i < _lines.Count; i++)
        {
            if (Array.TrueForAll(parts, p => _lines[i].Contains(p, StringComparison.Ordinal)))
            {
                return i;
            }
        }

        return -1;
    }

    public void Dispose()
    {
        _port.Close();
        _port.Dispose();
    }

    private void Read()
    {
        int read;
        while ((read = _port.Read(_buffer, 0, _buffer.Length)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                char c = (char)_buffer[i];
                if (c == '\n')
                {
                    _lines.Add(_partial.ToString());
                    _partial.Clear();
                }
                else if (c != '\r')
                {
                    _partial.Append(c);
                }
            }
        }
    }
}
