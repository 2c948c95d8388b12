using System;
using System.Collections.Generic;
using System.Text.Json;
using Tests.Support;

namespace Tests.Interop.Sip;

/// <summary>
/// One SIPp scenario against the `phone` process, run to its end: the segment
/// (<see cref="SipPhoneSegment"/>), SIPp as the registrar at startup.cfg's address, the phone
/// until its --exit-after event, SIPp until its scenario ends, then the capture decoded.
/// Everything is stopped before <see cref="Run"/> returns; what they said is kept for the test.
/// </summary>
public sealed class SippPhoneRun
{
    private const int Port = 5060;

    private SippPhoneRun(string server, string story, int phoneExit, int sippExit, List<JsonElement> events, int sippMessages, List<SipWireFrame> frames, double lagSeconds)
    {
        LagSeconds = lagSeconds;
        Server = server;
        Story = story;
        PhoneExit = phoneExit;
        SippExit = sippExit;
        Events = events;
        SippMessages = sippMessages;
        Frames = frames;
    }

    /// <summary>The registrar's address (SIPp's).</summary>
    public string Server { get; }

    /// <summary>The phone's, SIPp's and the capture's output, for assertion messages.</summary>
    public string Story { get; }

    public int PhoneExit { get; }

    public int SippExit { get; }

    /// <summary>The phone's --events json, in order.</summary>
    public List<JsonElement> Events { get; }

    /// <summary>How many messages SIPp's trace holds (received and sent).</summary>
    public int SippMessages { get; }

    /// <summary>The capture on the phone's veth (each already checked: SIP, nothing malformed).</summary>
    public List<SipWireFrame> Frames { get; }

    /// <summary>The longest this machine overslept a wake-up while the run lasted (<see cref="SchedulingLag"/>).</summary>
    public double LagSeconds { get; }

    public static SippPhoneRun Run(string scenario, string transport, string account, string exitAfter, int timeoutSeconds)
    {
        string name = System.IO.Path.GetFileNameWithoutExtension(scenario);
        using TestDirectory directory = new("sipp-phone-" + name + "-" + transport);
        using SchedulingLag lag = new();
        using SipPhoneSegment segment = new("sipp-phone", directory, string.Empty, account, Port);
        using SippUas sipp = new(segment.Pair, directory.Path, scenario, segment.Server, Port, transport, timeoutSeconds + 10);
        using BackgroundProcess phone = segment.StartPhone(transport, "--exit-after " + exitAfter + " --timeout " + timeoutSeconds);
        bool ended = phone.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds + 15));
        int phoneExit = ended ? phone.ExitCode : -1;
        int sippExit = sipp.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds + 20));
        List<SipWireFrame> frames = segment.Wire.StopAndDecode();
        double lagSeconds = lag.LongestSeconds;
        string story = segment.Story(phone, "sipp (exit " + sippExit + "):\n" + sipp.Output + "\nsipp's messages:\n" + sipp.Messages) + "\nwire:\n" + Describe(frames)
            + "\nlongest scheduling lag: " + lagSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " s";
        return new SippPhoneRun(segment.Server, story, phoneExit, sippExit, JsonEvents.Parse(phone.Output), sipp.MessageCount, frames, lagSeconds);
    }

    /// <summary>
    /// The index of the first event named <paramref name="name"/> after position <paramref name="from"/>
    /// (an index, or 0 for the start) whose JSON contains <paramref name="text"/>; fails when none follows.
    /// </summary>
    public int After(int from, string name, string text)
    {
        for (int i = from == 0 ? 0 : from + 1; i < Events.Count; i++)
        {
            if (Events[i].GetProperty("event").GetString() == name && Events[i].GetRawText().Contains(text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        Assert.Fail("no " + name + " with " + text + " after event " + from + ":\n" + Story);
        return -1;
    }

    public void Never(string name)
    {
        Assert.IsFalse(Events.Exists(e => e.GetProperty("event").GetString() == name), "unexpected " + name + ":\n" + Story);
    }

    /// <summary>
    /// The SIP messages on the wire, checked against <paramref name="expected"/> (a method, or a
    /// status code) in order and against SIPp's trace (the same count); one frame per message.
    /// </summary>
    public List<SipWireFrame> ExpectWire(params string[] expected)
    {
        List<SipWireFrame> messages = Frames.FindAll(f => f.FirstLines.Length > 0);
        List<string> seen = new();
        foreach (SipWireFrame frame in messages)
        {
            Assert.AreEqual(1, frame.FirstLines.Length, "one SIP message per frame:\n" + Story);
            string line = frame.FirstLines[0];
            seen.Add(line.StartsWith("SIP/2.0 ", StringComparison.Ordinal) ? line.Substring(8, 3) : line.Substring(0, line.IndexOf(' ', StringComparison.Ordinal)));
        }

        CollectionAssert.AreEqual(expected, seen, "on the wire: " + string.Join(", ", seen) + "\n" + Story);
        Assert.AreEqual(SippMessages, seen.Count, "SIPp traced another count of messages than the wire holds:\n" + Story);
        return messages;
    }

    private static string Describe(List<SipWireFrame> frames)
    {
        List<string> lines = new();
        foreach (SipWireFrame f in frames)
        {
            lines.Add(f.Number + " " + f.Seconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " " + f.Source + " > " + f.Destination + (f.Fin ? " FIN " : " ") + string.Join(" / ", f.FirstLines));
        }

        return string.Join("\n", lines);
    }
}
