using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Protocol.Common;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// Issue 15, kill -9 (a): a DHCP storm (batches of new MACs through a relay socket in the client
/// namespace) against `controller serve` in the server namespace, SIGKILL at a random moment,
/// restart on the same database, three rounds. After each restart every MAC that saw an ACK, in
/// this round or an earlier one, is offered its ACKed address again; over all rounds no address
/// was ACKed to two MACs.
/// </summary>
[TestClass]
public sealed class DhcpLeasesAcrossSigkillTests
{
    private const int Rounds = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [TestMethod]
    public void EveryAckedLeaseIsOfferedAgainToItsMacAfterSigkillAndNoAddressIsAckedTwice()
    {
        using TestDirectory directory = new("reliability-dhcp-kill9-rely");
        using NetworkNamespacePair pair = new("relykill");
        string relay = pair.Address(2);
        (int addExit, string addOutput) = pair.Run(pair.ClientNamespace, "/usr/sbin/ip", "addr add " + relay + "/24 dev " + pair.ClientInterface, "/", TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, addExit, addOutput);
        File.WriteAllText(directory.File("element.json"), $$"""
            {
              "element": { "name": "rely-kill", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "{{pair.ServerAddress}}",
              "ports": { "dhcp": 67, "tftp": 0, "registration": 0 },
              "database": "element.db",
              "dhcp": { "poolStart": "10.201.0.10", "poolEnd": "10.201.63.250", "subnetMask": "255.255.192.0" },
              "tftp": { "enabled": false },
              "telephoneDirectory": [ { "number": "1000", "name": "Lab set" } ]
            }
            """);
        using Socket socket = NamespaceUdpSocket.Open(pair.ClientNamespace, pair.ClientInterface, new IPEndPoint(IPAddress.Any, 67));
        IPEndPoint server = new(IPAddress.Parse(pair.ServerAddress), 67);
        Random random = new(15);
        Dictionary<string, uint> acked = new();
        List<(string Mac, uint Address)> ackLog = new();
        for (int round = 0; round < Rounds; round++)
        {
            using BackgroundProcess controller = Start(pair, directory);
            RelayedDhcpStorm storm = new(socket, server, IPAddress.Parse(relay), 0x40 + round);
            if (round > 0)
            {
                // Everything ACKed before the last kill is offered again, at the same address.
                Dictionary<string, uint> offered = storm.Offers(acked.Keys);
                string[] lost = acked.Where(lease => offered[lease.Key] != lease.Value).Select(lease => lease.Key + " ACKed " + Ipv4.Format(lease.Value) + ", offered " + Ipv4.Format(offered[lease.Key])).ToArray();
                Assert.AreEqual(0, lost.Length, "round " + round + ": " + lost.Length + " of " + acked.Count + " ACKed leases not offered again: " + string.Join("; ", lost.Take(10)) + "\ncontroller:\n" + FleetEvents.Tail(controller.Output));
                Console.WriteLine($"round {round}: all {acked.Count} leases ACKed before the kill offered again at their address");
            }

            using CancellationTokenSource stop = new();
            Thread storming = new(() => storm.Run(stop.Token)) { IsBackground = true, Name = "dhcp-storm" };
            storming.Start();
            Progress(directory, "round " + round + ": storm started");
            System.Diagnostics.Stopwatch firstAck = System.Diagnostics.Stopwatch.StartNew();
            while (storm.AckLog.IsEmpty && storming.IsAlive && firstAck.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Sleep(5);
            }

            Progress(directory, "round " + round + ": first ACK seen");
            Thread.Sleep(random.Next(0, 1500));
            KillNine(controller);
            Progress(directory, "round " + round + ": SIGKILL sent");
            Assert.IsTrue(controller.WaitForExit(TimeSpan.FromSeconds(10)), "SIGKILL did not end the controller");
            Progress(directory, "round " + round + ": controller gone");
            stop.Cancel();
            Assert.IsTrue(storming.Join(TimeSpan.FromSeconds(10)), "the storm did not stop");
            Assert.IsFalse(storm.Acked.IsEmpty, "round " + round + ": no ACK before the kill");
            foreach (KeyValuePair<string, uint> lease in storm.Acked)
            {
                acked[lease.Key] = lease.Value;
            }

            ackLog.AddRange(storm.AckLog);
            Console.WriteLine($"round {round}: killed after {storm.Acked.Count} ACKs");
        }

        // One last restart for the last round's ACKs.
        using (BackgroundProcess controller = Start(pair, directory))
        {
            RelayedDhcpStorm check = new(socket, server, IPAddress.Parse(relay), 0x7f);
            Dictionary<string, uint> offered = check.Offers(acked.Keys);
            string[] lost = acked.Where(lease => offered[lease.Key] != lease.Value).Select(lease => lease.Key + " ACKed " + Ipv4.Format(lease.Value) + ", offered " + Ipv4.Format(offered[lease.Key])).ToArray();
            Assert.AreEqual(0, lost.Length, "after the last kill: " + lost.Length + " of " + acked.Count + " ACKed leases not offered again: " + string.Join("; ", lost.Take(10)));
        }

        // Over the whole run, before and after every restart: one MAC per ACKed address.
        Dictionary<uint, string> holder = new();
        foreach ((string mac, uint address) in ackLog)
        {
            if (holder.TryGetValue(address, out string? other))
            {
                Assert.AreEqual(other, mac, Ipv4.Format(address) + " was ACKed to two MACs");
            }

            holder[address] = mac;
        }

        Console.WriteLine($"{Rounds} kills: {acked.Count} leases ACKed ({ackLog.Count} ACKs), every one offered again to its MAC at its address, no address ACKed to two MACs");
    }

    // SIGKILL by kill(2) from this process (Process.Kill), no kill(1) to wait for.
    private static void KillNine(BackgroundProcess process)
    {
        using System.Diagnostics.Process target = System.Diagnostics.Process.GetProcessById(process.Id);
        target.Kill();
    }

    // Where a run stands, in a file of its own (the test's output is shown only at the end).
    private static void Progress(TestDirectory directory, string line)
    {
        File.AppendAllText(directory.File("progress.txt"), DateTime.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + " " + line + "\n");
    }

    private static BackgroundProcess Start(NetworkNamespacePair pair, TestDirectory directory)
    {
        BackgroundProcess process = pair.Start(pair.ServerNamespace, "dotnet", BuiltPrograms.Controller + " serve --config element.json", directory.Path);
        if (!process.WaitForLine("option 125 = ", StartTimeout))
        {
            string output = process.Output;
            process.Dispose();
            Assert.Fail("controller did not start:\n" + output);
        }

        return process;
    }
}
