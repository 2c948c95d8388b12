using System;
using Protocol.Common;
using Protocol.Sip;

namespace SipBench;

/// <summary>What the phone's side allocated, in bytes per operation.</summary>
public sealed class AllocationResult
{
    public int Refreshes { get; init; }

    public long RefreshBytes { get; init; }

    public int Retransmissions { get; init; }

    public long RetransmissionBytes { get; init; }

    /// <summary>Of <see cref="RefreshBytes"/>: Poll building and encoding the REGISTER (with its digest).</summary>
    public long BuildBytes { get; init; }

    /// <summary>Of <see cref="RefreshBytes"/>: SipMessageParser.Parse of the 200.</summary>
    public long ParseBytes { get; init; }

    /// <summary>Of <see cref="RefreshBytes"/>: OnMessage and PollEvent on the parsed 200.</summary>
    public long HandleBytes { get; init; }

    public double PerRefresh => RefreshBytes / (double)Refreshes;

    public double PerRetransmission => RetransmissionBytes / (double)Retransmissions;
}

/// <summary>
/// The phone's side, sans-IO, on one thread: <see cref="SipRegistration"/> registers with an
/// in-process registrar (401 then 200, 3600 s granted), then refreshes; simulated time jumps to
/// each deadline. <see cref="GC.GetAllocatedBytesForCurrentThread"/> is read around the phone's
/// calls only — Poll (the REGISTER built and encoded), parsing the answer, OnMessage, PollEvent —
/// not around the registrar's. Every refresh first lets two retransmissions go out unanswered.
/// </summary>
public static class PhoneAllocation
{
    private const int Warmup = 50;

    public static AllocationResult Measure(int refreshes)
    {
        SipRegistrationConfig config = new(new[] { new SipServerAddress("192.0.2.1", 5060) }, "phonefirmware.test", "1001", "192.0.2.10", 5060)
        {
            Password = "1234",
            DisplayName = "Front Desk",
        };
        SipRegistration line = new(config, new FixedRandom());
        Registrar registrar = new();
        long now = 0;
        line.Start(now);
        Exchange(line, registrar, ref now, out _);
        Exchange(line, registrar, ref now, out _);
        if (line.State != SipRegistrationState.Registered)
        {
            throw new InvalidOperationException("the line did not register: " + line.State);
        }

        long refreshBytes = 0;
        long buildBytes = 0;
        long parseBytes = 0;
        long handleBytes = 0;
        long retransmissionBytes = 0;
        int retransmissions = 0;
        for (int i = 0; i < Warmup + refreshes; i++)
        {
            now = line.NextDeadline;
            long mark = GC.GetAllocatedBytesForCurrentThread();
            SipOutgoing? request = line.Poll(now);
            long sent = GC.GetAllocatedBytesForCurrentThread() - mark;
            if (request == null)
            {
                throw new InvalidOperationException("no refresh at its deadline");
            }

            for (int r = 0; r < 2; r++)
            {
                now = line.NextDeadline;
                mark = GC.GetAllocatedBytesForCurrentThread();
                SipOutgoing? again = line.Poll(now);
                long cost = GC.GetAllocatedBytesForCurrentThread() - mark;
                if (again == null)
                {
                    throw new InvalidOperationException("no retransmission at timer E");
                }

                if (i >= Warmup)
                {
                    retransmissionBytes += cost;
                    retransmissions++;
                }
            }

            byte[] answer = registrar.Answer(request.Bytes);
            mark = GC.GetAllocatedBytesForCurrentThread();
            SipMessage ok = SipMessageParser.Parse(answer, 0, answer.Length);
            long parsed = GC.GetAllocatedBytesForCurrentThread() - mark;
            mark = GC.GetAllocatedBytesForCurrentThread();
            line.OnMessage(ok, "192.0.2.1", 5060, now);
            SipRegistrationEvent? e = line.PollEvent();
            long handled = GC.GetAllocatedBytesForCurrentThread() - mark;
            long received = parsed + handled;
            if (e == null || e.Kind != SipRegistrationEventKind.Refreshed)
            {
                throw new InvalidOperationException("the refresh was not granted: " + e);
            }

            if (i >= Warmup)
            {
                refreshBytes += sent + received;
                buildBytes += sent;
                parseBytes += parsed;
                handleBytes += handled;
            }
        }

        return new AllocationResult { Refreshes = refreshes, RefreshBytes = refreshBytes, Retransmissions = retransmissions, RetransmissionBytes = retransmissionBytes, BuildBytes = buildBytes, ParseBytes = parseBytes, HandleBytes = handleBytes };
    }

    // One request out, its answer in (not measured: registration before the steady state).
    private static void Exchange(SipRegistration line, Registrar registrar, ref long now, out SipRegistrationEvent? e)
    {
        SipOutgoing request = line.Poll(now) ?? throw new InvalidOperationException("nothing to send");
        byte[] answer = registrar.Answer(request.Bytes);
        now += 10;
        line.OnMessage(SipMessageParser.Parse(answer, 0, answer.Length), "192.0.2.1", 5060, now);
        e = line.PollEvent();
    }

    /// <summary>Challenges a REGISTER without credentials, grants 3600 s to one with them (no check: the tests check digests).</summary>
    private sealed class Registrar
    {
        public byte[] Answer(byte[] request)
        {
            SipMessage register = SipMessageParser.Parse(request, 0, request.Length);
            bool authorized = register.Get(SipHeaderNames.Authorization) != null;
            SipMessage response = SipMessage.Response(authorized ? 200 : 401, authorized ? "OK" : "Unauthorized")
                .Add(SipHeaderNames.Via, register.Required(SipHeaderNames.Via) + ";received=192.0.2.10")
                .Add(SipHeaderNames.From, register.Required(SipHeaderNames.From))
                .Add(SipHeaderNames.To, register.Required(SipHeaderNames.To) + ";tag=b27e1f")
                .Add(SipHeaderNames.CallId, register.Required(SipHeaderNames.CallId))
                .Add(SipHeaderNames.CSeq, register.Required(SipHeaderNames.CSeq));
            if (authorized)
            {
                response.Add(SipHeaderNames.Contact, register.Required(SipHeaderNames.Contact));
            }
            else
            {
                response.Add(SipHeaderNames.WwwAuthenticate, "Digest realm=\"phonefirmware.test\", nonce=\"6a1e3f0b2c\", opaque=\"0f9e\", qop=\"auth\", algorithm=MD5");
            }

            return response.Encode();
        }
    }

    private sealed class FixedRandom : IRandomSource
    {
        private readonly Random _random = new(42);

        public uint NextUInt32()
        {
            return (uint)_random.NextInt64(0, 1L << 32);
        }

        public int Next(int maxExclusive)
        {
            return _random.Next(maxExclusive);
        }
    }
}
