using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using Hal;
using Hal.Host;
using PhoneFirmware.Core;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Host;
using Protocol.Dhcp;

namespace Tests.Interop.Support;

/// <summary>
/// Runs the phone's boot-file stage (the code the device runs) on this host's sockets, the way
/// the phone's step loop does, and records what it published.
/// </summary>
public static class BootFileFetch
{
    /// <summary>Fetches <paramref name="file"/>; with <paramref name="wire"/>, records what the server sent (its OACK, its block size).</summary>
    public static (List<PhoneEvent> Events, BootFileStageState State) Run(IPAddress localAddress, ServerEndpoint[] servers, string file, TimeSpan limit, TftpWireLog? wire = null)
    {
        RecordingSink sink = new();
        // A silent server is given up after 20 s here: the phone's 180 s wait for a busy server is
        // the boot storm's (BusyTftpServerScenarioTests), these runs test the servers' answers.
        PhoneSettings settings = new() { TftpBlockSize = 1468, TftpServerPatienceMilliseconds = 20_000 };
        INetworkInterface network = new HostNetworkInterface(new byte[] { 0, 8, 0x5d, 0, 0x10, 0 }, localAddress, null);
        BootFileStage stage = new(wire == null ? network : wire.Watch(network), settings, sink, new SystemRandomSource());
        SystemClock clock = new();
        stage.Start(clock.NowMilliseconds, servers, new[] { file }, Array.Empty<uint>());
        long giveUp = clock.NowMilliseconds + (long)limit.TotalMilliseconds;
        while (stage.State == BootFileStageState.Running && clock.NowMilliseconds < giveUp)
        {
            long next = stage.Step(clock.NowMilliseconds);
            long wait = Math.Clamp(next - clock.NowMilliseconds, 0, 2);
            if (wait > 0)
            {
                Thread.Sleep((int)wait);
            }
        }

        BootFileStageState state = stage.State;
        stage.Stop();
        return (sink.Events, state);
    }

    /// <summary>The events as one line with failure reasons, for assertion messages.</summary>
    public static string Describe(List<PhoneEvent> events)
    {
        return string.Join(", ", events.ConvertAll(e => e.Name + (e.Find("reason") is string r ? "(" + r + ")" : string.Empty)));
    }

    private sealed class RecordingSink : IPhoneEventSink
    {
        public List<PhoneEvent> Events { get; } = new();

        public void Publish(PhoneEvent phoneEvent)
        {
            Events.Add(phoneEvent);
        }
    }
}
