using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using PhoneFirmware.Core.TestPort;

namespace HilRunner;

/// <summary>
/// Runs scenario steps against the phone at the other end of a <see cref="TestPortLink"/>. An
/// <c>expect</c> looks at the events that arrived after the previous match (or after the last
/// restart's power.up), so a scenario reads as a sequence. Stops at the first failing step and
/// says what it waited for and what came instead.
/// </summary>
public sealed class ScenarioRunner
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ScreenPollInterval = TimeSpan.FromMilliseconds(200);

    // What a wait returns when the run was asked to stop (compared by reference).
    private static readonly string StoppedFailure = new('-', 1);

    private readonly TestPortLink _link;
    private readonly Transcript _transcript;
    private readonly CancellationToken _stop;
    private int _cursor;

    /// <param name="stop">Abandons the scenario at the next wait (SIGTERM, SIGINT): see <see cref="Stopped"/>.</param>
    public ScenarioRunner(TestPortLink link, Transcript transcript, CancellationToken stop = default)
    {
        _link = link;
        _transcript = transcript;
        _stop = stop;
    }

    /// <summary>True when the run was abandoned because it was asked to stop, not because a step failed.</summary>
    public bool Stopped { get; private set; }

    /// <summary>True when every step passed.</summary>
    public bool Run(IReadOnlyList<ScenarioStep> steps)
    {
        // A PING first: a clear message when nothing answers, and events from before the run are ignored.
        string? failure = Command(TestPortCommand.Ping(), out _, out int eventsBefore);
        if (failure != null)
        {
            _transcript.Note("FAIL before the first step: " + failure);
            return false;
        }

        _cursor = eventsBefore;
        foreach (ScenarioStep step in steps)
        {
            failure = _stop.IsCancellationRequested ? StoppedFailure : RunStep(step);
            if (failure == StoppedFailure)
            {
                Stopped = true;
                _transcript.Note("STOPPED at line " + step.Line.ToString(CultureInfo.InvariantCulture) + ": " + step.Text + ": asked to stop; the scenario did not finish");
                return false;
            }

            if (failure != null)
            {
                _transcript.Note("FAIL line " + step.Line.ToString(CultureInfo.InvariantCulture) + ": " + step.Text + ": " + failure);
                return false;
            }

            _transcript.Note("ok   line " + step.Line.ToString(CultureInfo.InvariantCulture) + ": " + step.Text);
        }

        _transcript.Note("PASS " + steps.Count.ToString(CultureInfo.InvariantCulture) + " steps in " + _transcript.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
        return true;
    }

    private string? RunStep(ScenarioStep step)
    {
        switch (step.Kind)
        {
            case ScenarioStepKind.Restart:
                string? failure = Command(TestPortCommand.Restart(step.HoldStar), out _, out int eventsBefore);
                if (failure != null)
                {
                    return failure;
                }

                // The restart is done when the new power-up reports; expectations start after it.
                _cursor = eventsBefore;
                return WaitForEvent("power.up", Array.Empty<KeyValuePair<string, string>>(), step.Timeout);
            case ScenarioStepKind.Type:
                foreach (string chunk in ScenarioParser.KeyChunks(step.Argument))
                {
                    failure = Command(TestPortCommand.KeySequence(chunk), out _, out _);
                    if (failure != null)
                    {
                        return failure;
                    }
                }

                return null;
            case ScenarioStepKind.Expect:
                return WaitForEvent(step.Argument, step.Fields, step.Timeout);
            case ScenarioStepKind.Screen:
                return WaitForScreen(step.Argument, step.Timeout);
            default:
                Stopwatch waited = Stopwatch.StartNew();
                while (waited.Elapsed < step.Timeout)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        return StoppedFailure;
                    }

                    _link.PollOrSleep();
                }

                return null;
        }
    }

    // Sends one command and waits for its answer: null when OK (or DISPLAY), otherwise what went wrong.
    private string? Command(TestPortCommand command, out TestPortReply? reply, out int eventsBefore, bool log = true)
    {
        _link.DiscardReplies();
        _link.Send(command, log);
        reply = _link.NextReply(ReplyTimeout, out eventsBefore);
        string name = TestPortCodec.FormatCommand(command);
        if (reply == null)
        {
            return "no answer to " + name + " within " + ReplyTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s (is the phone's test port at the other end of this line?)";
        }

        if (reply.Kind == TestPortReplyKind.Error)
        {
            return "the phone refused " + name + ": " + reply.Text;
        }

        bool expected = command.Kind == TestPortCommandKind.DisplayQuery ? reply.Kind == TestPortReplyKind.Display : reply.Kind == TestPortReplyKind.Ok;
        return expected ? null : "unexpected answer to " + name + ": " + reply.Kind.ToString();
    }

    private string? WaitForEvent(string name, IReadOnlyList<KeyValuePair<string, string>> fields, TimeSpan timeout)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (true)
        {
            List<ReceivedEvent> events = _link.Events;
            for (int i = _cursor; i < events.Count; i++)
            {
                if (events[i].Name == name && fields.All(f => events[i].HasField(f.Key, f.Value)))
                {
                    _cursor = i + 1;
                    return null;
                }
            }

            if (_stop.IsCancellationRequested)
            {
                return StoppedFailure;
            }

            if (waited.Elapsed >= timeout)
            {
                string wanted = name + string.Concat(fields.Select(f => " " + f.Key + "=" + f.Value));
                return "waited " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s for event " + wanted + "; it did not come. Events since the last match: " + Describe(events, _cursor);
            }

            _link.PollOrSleep();
        }
    }

    private string? WaitForScreen(string text, TimeSpan timeout)
    {
        Stopwatch waited = Stopwatch.StartNew();
        string[] last = Array.Empty<string>();
        bool first = true;
        while (true)
        {
            // Only the first query shows in the transcript; after it, only a changed screen does.
            string? failure = Command(TestPortCommand.DisplayQuery(), out TestPortReply? reply, out _, first);
            first = false;
            if (failure != null)
            {
                return failure;
            }

            last = reply!.Lines;
            if (last.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return null;
            }

            if (waited.Elapsed >= timeout)
            {
                return "waited " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s for \"" + text + "\" on the screen; it shows \"" + string.Join("\" / \"", last) + "\"";
            }

            if (_stop.IsCancellationRequested)
            {
                return StoppedFailure;
            }

            Stopwatch pause = Stopwatch.StartNew();
            while (pause.Elapsed < ScreenPollInterval)
            {
                _link.PollOrSleep();
            }
        }
    }

    private static string Describe(List<ReceivedEvent> events, int from)
    {
        List<string> names = new();
        int screens = 0;
        for (int i = from; i < events.Count; i++)
        {
            if (events[i].Name == "display")
            {
                screens++;
            }
            else
            {
                names.Add(events[i].Name);
            }
        }

        string list = names.Count == 0 ? "none" : string.Join(", ", names);
        return screens == 0 ? list : list + " (and " + screens.ToString(CultureInfo.InvariantCulture) + " display changes)";
    }
}
