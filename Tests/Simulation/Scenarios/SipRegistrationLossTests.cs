using System.Collections.Generic;
using Protocol.Common;
using Protocol.Sip;
using Tests.Simulation.Sip;

namespace Tests.Simulation.Scenarios;

/// <summary>
/// SIP registration over UDP on the simulated network with 10 % loss plus duplication and
/// reordering, against <see cref="SimDigestRegistrar"/> (digest, rotating nonce, 120 s grants), over
/// 200 seeds: every seed registers and refreshes, and the invariants hold — the binding never
/// lapses, each 200 the registrar sent is one event on the line (no duplicate or lost outcome),
/// no digest is wrong or replayed, CSeq only goes up, and no server failure or back-off.
/// </summary>
[TestClass]
public sealed class SipRegistrationLossTests
{
    private const int Seeds = 200;
    private const uint RegistrarAddress = 0x0A000001; // 10.0.0.1
    private const uint PhoneAddress = 0x0A00000A; // 10.0.0.10

    [TestMethod]
    public void EverySeedRegistersAndRefreshesThroughLossDuplicationAndReordering()
    {
        long lost = 0;
        long duplicated = 0;
        long reordered = 0;
        int stale = 0;
        int absorbed = 0;
        int retransmissions = 0;
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            SimRunner runner = new(seed, NetworkConditions.Hostile(0.10));
            (SimDigestRegistrar registrar, SimSipLine line) = Build(runner, "1234");
            string story = "seed " + seed;

            line.Machine.Start(runner.Now);
            Assert.IsTrue(runner.RunUntil(() => line.Count(SipRegistrationEventKind.Registered) > 0, 120_000), story + ": not registered: " + Trail(line, registrar));
            long registeredAt = runner.Now;
            while (runner.Now - registeredAt < 400_000)
            {
                runner.RunFor(1_000);
                Assert.IsTrue(registrar.IsBound("1001", runner.Now), story + ": binding lapsed at " + runner.Now + ": " + Trail(line, registrar));
            }

            Assert.AreEqual(SipRegistrationState.Registered, Settled(runner, line), story + ": " + Trail(line, registrar));
            Assert.IsTrue(line.Count(SipRegistrationEventKind.Refreshed) >= 1, story + ": never refreshed: " + Trail(line, registrar));
            Assert.AreEqual(registrar.Accepted, line.Count(SipRegistrationEventKind.Registered) + line.Count(SipRegistrationEventKind.Refreshed), story + ": 200s sent and outcomes seen differ: " + Trail(line, registrar));
            Assert.AreEqual(1, line.Count(SipRegistrationEventKind.Registered), story);
            Assert.AreEqual(SimDigestRegistrar.MaxGrantSeconds, line.Machine.GrantedSeconds, story);
            Assert.AreEqual(line.Machine.CallId, registrar.Bindings["1001"].CallId, story + ": a refresh must keep the Call-ID");
            Assert.AreEqual(0, registrar.Lapses, story);
            Assert.AreEqual(0, registrar.BadDigests, story);
            Assert.AreEqual(0, registrar.NonceCountReplays, story);
            Assert.AreEqual(0, registrar.CSeqOutOfOrder, story);
            Assert.AreEqual(0, line.Unparsable, story);
            foreach (SipRegistrationEvent e in line.Events)
            {
                Assert.IsTrue(e.Kind is SipRegistrationEventKind.Challenged or SipRegistrationEventKind.Registered or SipRegistrationEventKind.Refreshed, story + ": unexpected " + e + ": " + Trail(line, registrar));
            }

            lost += runner.Network.DatagramsLost;
            duplicated += runner.Network.DatagramsDuplicated;
            reordered += runner.Network.DatagramsReordered;
            stale += registrar.StaleChallenges;
            absorbed += registrar.Absorbed;
            retransmissions += line.Machine.Retransmissions;
        }

        // The sweep must exercise what it claims to survive.
        Assert.IsTrue(lost > 0 && duplicated > 0 && reordered > 0, "lost " + lost + ", duplicated " + duplicated + ", reordered " + reordered);
        Assert.IsTrue(stale > 0, "no refresh met a rotated nonce");
        Assert.IsTrue(absorbed > 0 && retransmissions > 0, "no retransmission happened");
    }

    [TestMethod]
    public void AWrongPasswordIsRefusedNotRetriedForever()
    {
        SimRunner runner = new(7, NetworkConditions.Hostile(0.10));
        (SimDigestRegistrar registrar, SimSipLine line) = Build(runner, "9999");
        line.Machine.Start(runner.Now);
        Assert.IsTrue(runner.RunUntil(() => line.Machine.State == SipRegistrationState.CredentialsRefused, 120_000), Trail(line, registrar));
        Assert.AreEqual(1, registrar.BadDigests, Trail(line, registrar));
        Assert.AreEqual(0, registrar.Accepted);
        Assert.IsFalse(registrar.IsBound("1001", runner.Now));
    }

    private static (SimDigestRegistrar Registrar, SimSipLine Line) Build(SimRunner runner, string password)
    {
        SimHost registrarHost = runner.Network.AddHost("registrar", new byte[] { 2, 0, 0, 0, 0, 1 }, RegistrarAddress);
        SimHost phoneHost = runner.Network.AddHost("phone", new byte[] { 2, 0, 0, 0, 0, 10 }, PhoneAddress);
        SimDigestRegistrar registrar = new(registrarHost, new Dictionary<string, string> { ["1001"] = "1234" });
        SipRegistrationConfig config = new(new[] { new SipServerAddress(Ipv4.Format(RegistrarAddress), SimDigestRegistrar.Port) }, SimDigestRegistrar.Realm, "1001", Ipv4.Format(PhoneAddress), 5060)
        {
            Password = password,
            ExpiresSeconds = 3600,
        };
        SimSipLine line = new(phoneHost, config, runner.Random.Fork());
        runner.Add(registrar);
        runner.Add(line);
        return (registrar, line);
    }

    // A refresh may be in flight at the end: let it finish (it has a transaction timeout to do so).
    private static SipRegistrationState Settled(SimRunner runner, SimSipLine line)
    {
        runner.RunUntil(() => line.Machine.State != SipRegistrationState.Refreshing, 40_000);
        return line.Machine.State;
    }

    private static string Trail(SimSipLine line, SimDigestRegistrar registrar)
    {
        return "\nline: " + string.Join("\n  ", line.Events) + "\nregistrar: " + string.Join("\n  ", registrar.Log);
    }
}
