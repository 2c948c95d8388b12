using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using Hal;
using PhoneFirmware.Core.TestPort;
using Protocol.Common;

namespace HilRunner;

/// <summary>
/// The host's end of the serial test port (docs/test-port.md): sends command lines, cuts the
/// phone's output into lines with the same bounded reader the phone uses, keeps every EVENT in
/// arrival order and hands out the other replies (OK, ERR, DISPLAY) one at a time. Lines that are
/// not replies are shown in the transcript and ignored.
/// </summary>
public sealed class TestPortLink
{
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    private readonly ISerialPort _port;
    private readonly Transcript _transcript;
    private readonly TestPortLineReader _reader = new(TestPortLimits.MaxReplyLength);
    private readonly Queue<(TestPortReply Reply, int EventsBefore)> _replies = new();
    private readonly byte[] _buffer = new byte[4096];
    private string? _lastScreen;

    public TestPortLink(ISerialPort port, Transcript transcript)
    {
        _port = port;
        _transcript = transcript;
    }

    /// <summary>Every event received so far, in order.</summary>
    public List<ReceivedEvent> Events { get; } = new();

    /// <summary>Sends one command line; <paramref name="log"/> false keeps a repeated poll out of the transcript.</summary>
    public void Send(TestPortCommand command, bool log = true)
    {
        string line = TestPortCodec.FormatCommand(command);
        if (log)
        {
            _transcript.Sent(line);
        }

        byte[] bytes = Ascii.GetBytes(line + "\n");
        int at = 0;
        Stopwatch started = Stopwatch.StartNew();
        while (at < bytes.Length)
        {
            at += _port.Write(bytes, at, bytes.Length - at);
            if (at < bytes.Length)
            {
                if (started.Elapsed > WriteTimeout)
                {
                    throw new IOException("the line took nothing for " + WriteTimeout.TotalSeconds + " s (is anything at the other end?)");
                }

                Thread.Sleep(2);
            }
        }
    }

    /// <summary>Reads whatever has arrived; false when nothing had.</summary>
    public bool Poll()
    {
        int read = _port.Read(_buffer, 0, _buffer.Length);
        for (int i = 0; i < read; i++)
        {
            string? line;
            try
            {
                line = _reader.Push(_buffer[i]);
            }
            catch (ProtocolParseException error)
            {
                _transcript.Note("? unreadable line ignored: " + error.Message);
                continue;
            }

            if (line != null)
            {
                Accept(line);
            }
        }

        return read > 0;
    }

    /// <summary>
    /// The next OK, ERR or DISPLAY line, or null if none came within <paramref name="timeout"/>;
    /// <paramref name="eventsBefore"/> is how many events had arrived before it.
    /// </summary>
    public TestPortReply? NextReply(TimeSpan timeout, out int eventsBefore)
    {
        Stopwatch started = Stopwatch.StartNew();
        eventsBefore = 0;
        while (true)
        {
            if (_replies.Count > 0)
            {
                (TestPortReply reply, eventsBefore) = _replies.Dequeue();
                return reply;
            }

            if (started.Elapsed >= timeout)
            {
                return null;
            }

            PollOrSleep();
        }
    }

    /// <summary>Reads the line, or sleeps a moment when nothing is waiting.</summary>
    public void PollOrSleep()
    {
        if (!Poll())
        {
            Thread.Sleep(2);
        }
    }

    /// <summary>Forgets replies nobody asked for (before a command whose answer matters).</summary>
    public void DiscardReplies()
    {
        _replies.Clear();
    }

    private void Accept(string line)
    {
        // A screen polled while it does not change would fill the transcript with the same line.
        bool repeatedScreen = line == _lastScreen;
        if (line.StartsWith("DISPLAY ", StringComparison.Ordinal))
        {
            _lastScreen = line;
        }

        if (!repeatedScreen)
        {
            _transcript.Received(line);
        }

        TestPortReply reply;
        try
        {
            reply = TestPortCodec.ParseReply(line);
        }
        catch (ProtocolParseException error)
        {
            _transcript.Note("? not a test port reply, ignored: " + error.Message);
            return;
        }

        if (reply.Kind != TestPortReplyKind.Event)
        {
            _replies.Enqueue((reply, Events.Count));
            return;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(reply.Text);
            JsonElement json = document.RootElement.Clone();
            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("event", out JsonElement name) && name.ValueKind == JsonValueKind.String)
            {
                Events.Add(new ReceivedEvent(name.GetString()!, json));
                return;
            }
        }
        catch (JsonException)
        {
        }

        _transcript.Note("? EVENT without a JSON object naming its event, ignored");
    }
}
