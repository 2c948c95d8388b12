using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using Protocol.Dhcp;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// Issue 15, hostile DHCP clients against `controller serve` in a network namespace: from the
/// other end of the link (a socket in the client namespace, acting as a relay so the answers come
/// back to it) malformed datagrams (truncated, a bad magic cookie, option lengths past the end, a
/// garbage overloaded file field), oversize datagrams, requests that are not Ethernet
/// BOOTREQUESTs or carry no usable message type (RFC 3396 concatenation included) — each left
/// without reply and counted in the controller's log by reason — while option overloads done
/// right (option 52 into file and sname, an option 52 inside the file field, an option split into
/// three instances) are answered once, and DISCOVER floods from thousands of MACs and from one
/// MAC are answered within the pending-offer bound. dhclient, a real client on the same link,
/// leases before and during the attack; its times are compared.
/// </summary>
[TestClass]
public sealed class HostileDhcpClientsTests
{
    private const int QuietRuns = 3;
    private const int AttackedRuns = 3;
    private const int MinimumRounds = 70;
    private const int ManyMacsPerRound = 60;
    private const int OneMacPerRound = 40;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    // What each hostile datagram must come to: a drop counted under a reason, or one OFFER.
    private static readonly string[] DroppedReasons = { "malformed", "oversize", "not an Ethernet BOOTREQUEST", "no or unknown message type" };

    [TestMethod]
    public void MalformedOversizeAndFloodingClientsAreDroppedOrBoundedAndCountedWhileDhclientStillLeases()
    {
        using TestDirectory directory = new("reliability-dhcp-rely");
        using NetworkNamespacePair pair = new("relydhcp");
        string attackerAddress = pair.Address(2);
        (int addExit, string addOutput) = pair.Run(pair.ClientNamespace, "/usr/sbin/ip", "addr add " + attackerAddress + "/24 dev " + pair.ClientInterface, "/", TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, addExit, addOutput);
        using BackgroundProcess controller = StartController(pair, directory);
        using Socket attacker = NamespaceUdpSocket.Open(pair.ClientNamespace, pair.ClientInterface, new IPEndPoint(IPAddress.Any, 67));
        Attack attack = new(attacker, new IPEndPoint(IPAddress.Parse(pair.ServerAddress), 67), IPAddress.Parse(attackerAddress));

        List<double> quiet = new();
        for (int run = 0; run < QuietRuns; run++)
        {
            quiet.Add(LeaseWithDhclient(pair, directory, controller, run));
        }

        List<double> attacked = new();
        Thread sender = new(attack.Run) { IsBackground = true, Name = "dhcp-attacker" };
        sender.Start();
        for (int run = 0; run < AttackedRuns; run++)
        {
            attacked.Add(LeaseWithDhclient(pair, directory, controller, QuietRuns + run));
        }

        while (attack.Rounds < MinimumRounds && sender.IsAlive)
        {
            Thread.Sleep(50);
        }

        attack.Stop();
        sender.Join();
        Thread.Sleep(1000); // the last answers
        attack.StopReceiving();

        // A datagram the kernel had no room for (a socket's receive buffer full on the loaded
        // machine) reached no one: the only loss allowed, and it is counted by the kernel.
        long kernelLost = UdpReceiveBufferErrors(pair.ServerNamespace) + UdpReceiveBufferErrors(pair.ClientNamespace);
        string story = attack.Describe() + "; lost in receive buffers " + kernelLost + "\ncontroller:\n" + FleetEvents.Tail(controller.Output);

        // Every hostile datagram unanswered, every well-formed one answered once with an OFFER.
        int unanswered = 0;
        foreach (KeyValuePair<uint, string> sent in attack.Sent)
        {
            string expected = attack.Expected[sent.Value];
            attack.Replies.TryGetValue(sent.Key, out List<DhcpMessage>? replies);
            int count = replies?.Count ?? 0;
            if (expected == "offer")
            {
                Assert.IsTrue(count <= 1, sent.Value + " (xid " + sent.Key.ToString("x8", CultureInfo.InvariantCulture) + ") answered " + count + " times\n" + story);
                unanswered += 1 - count;
                Assert.IsTrue(count == 0 || replies![0].MessageType == DhcpMessageType.Offer, story);
            }
            else
            {
                Assert.AreEqual(0, count, sent.Value + " was answered\n" + story);
            }
        }

        Assert.IsTrue(unanswered <= kernelLost, unanswered + " well-formed DISCOVERs unanswered\n" + story);

        // The flood from one MAC holds one address: every OFFER names the same one.
        HashSet<uint> oneMacAddresses = new();
        foreach (KeyValuePair<uint, string> sent in attack.Sent)
        {
            if (sent.Value == Attack.OneMacFlood && attack.Replies.ContainsKey(sent.Key))
            {
                oneMacAddresses.Add(attack.Replies[sent.Key][0].YourAddress);
            }
        }

        Assert.AreEqual(1, oneMacAddresses.Count, "the one-MAC flood was offered " + oneMacAddresses.Count + " addresses\n" + story);

        // Counted in the controller's log by reason: every dropped datagram, and the offers the flood had withdrawn.
        Dictionary<string, long> expectedCounts = attack.DroppedByReason();
        Dictionary<string, long> logged = new();
        Stopwatch waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(12))
        {
            logged = LoggedDrops(controller.Output);
            if (SameCounts(expectedCounts, logged, 0) && controller.Output.Contains("offers withdrawn unclaimed", StringComparison.Ordinal))
            {
                break;
            }

            Thread.Sleep(200);
        }

        kernelLost = UdpReceiveBufferErrors(pair.ServerNamespace) + UdpReceiveBufferErrors(pair.ClientNamespace);
        Assert.IsTrue(SameCounts(expectedCounts, logged, kernelLost), "logged drops " + string.Join(", ", logged) + ", sent " + string.Join(", ", expectedCounts) + "\n" + story);

        StringAssert.Contains(controller.Output, "offers withdrawn unclaimed (pending-offer limit)", story);

        // The real client: leased every time, under attack within max(3 s, 5x its slowest quiet lease).
        double quietWorst = Max(quiet);
        double attackedWorst = Max(attacked);
        foreach (string line in controller.Output.Split('\n'))
        {
            if (line.Contains("dhcp: no reply to ", StringComparison.Ordinal))
            {
                Console.WriteLine(line);
            }
        }

        Console.WriteLine($"dhclient lease ms quiet [{string.Join(", ", quiet.ConvertAll(Ms))}], under attack [{string.Join(", ", attacked.ConvertAll(Ms))}]; {attack.Describe()}");
        Assert.IsTrue(attackedWorst < Math.Max(3000, 5 * quietWorst), $"dhclient under attack took {attackedWorst:0} ms (quiet {quietWorst:0} ms)\n{story}");
    }

    private static string Ms(double value)
    {
        return value.ToString("0", CultureInfo.InvariantCulture);
    }

    private static double Max(List<double> values)
    {
        double max = 0;
        foreach (double value in values)
        {
            max = Math.Max(max, value);
        }

        return max;
    }

    // Logged as sent, less at most the datagrams the kernel lost, in all.
    private static bool SameCounts(Dictionary<string, long> expected, Dictionary<string, long> logged, long lost)
    {
        long missing = 0;
        foreach (string reason in DroppedReasons)
        {
            long difference = expected.GetValueOrDefault(reason) - logged.GetValueOrDefault(reason);
            if (difference < 0)
            {
                return false;
            }

            missing += difference;
        }

        return missing <= lost;
    }

    // The namespace's UDP RcvbufErrors (/proc/net/snmp): datagrams dropped for a full receive buffer.
    private static long UdpReceiveBufferErrors(string space)
    {
        (int exit, string snmp) = ProcessRunner.Run("/usr/sbin/ip", "netns exec " + space + " cat /proc/net/snmp", "/", TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, exit, snmp);
        string[] udp = Array.FindAll(snmp.Split('\n'), line => line.StartsWith("Udp: ", StringComparison.Ordinal));
        Assert.AreEqual(2, udp.Length, snmp);
        int column = Array.IndexOf(udp[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "RcvbufErrors");
        return long.Parse(udp[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[column], CultureInfo.InvariantCulture);
    }

    // Sums the controller's "dhcp: no reply to N requests …: REASON COUNT, …" lines per reason.
    private static Dictionary<string, long> LoggedDrops(string output)
    {
        Dictionary<string, long> sums = new();
        foreach (string line in output.Split('\n'))
        {
            if (!line.Contains("dhcp: no reply to ", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (string reason in DroppedReasons)
            {
                Match match = Regex.Match(line, "(?:: |, )" + Regex.Escape(reason) + " ([0-9]+)");
                if (match.Success)
                {
                    sums[reason] = sums.GetValueOrDefault(reason) + long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                }
            }
        }

        return sums;
    }

    // dhclient in the client namespace with a fresh lease file and a MAC of its own: ms until bound.
    private static double LeaseWithDhclient(NetworkNamespacePair pair, TestDirectory directory, BackgroundProcess controller, int run)
    {
        string mac = "02:dd:00:00:00:" + (run + 1).ToString("x2", CultureInfo.InvariantCulture);
        (int macExit, string macOutput) = ProcessRunner.Run("/usr/sbin/ip", "-n " + pair.ClientNamespace + " link set dev " + pair.ClientInterface + " address " + mac, "/", TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, macExit, macOutput);
        string leases = directory.File("dhclient" + run + ".leases");
        File.WriteAllText(directory.File("dhclient.conf"), "option vivso code 125 = string;\nrequest subnet-mask, routers, vivso;\n");
        File.WriteAllText(leases, string.Empty);
        Stopwatch elapsed = Stopwatch.StartNew();
        using BackgroundProcess client = pair.Start(pair.ClientNamespace, Peer.Require("/sbin/dhclient"), $"-1 -d -v -cf {directory.File("dhclient.conf")} -lf {leases} -pf {directory.File("dhclient" + run + ".pid")} -sf /bin/true {pair.ClientInterface}", directory.Path);
        bool bound = client.WaitForLine("bound to 10.200.", ClientTimeout);
        double ms = elapsed.Elapsed.TotalMilliseconds;
        Assert.IsTrue(bound, "dhclient (run " + run + ", " + mac + ") did not bind:\n" + client.Output + "\ncontroller:\n" + FleetEvents.Tail(controller.Output));
        return ms;
    }

    private static BackgroundProcess StartController(NetworkNamespacePair pair, TestDirectory directory)
    {
        Directory.CreateDirectory(directory.File("boot"));

        // A pool larger than the pending-offer limit (4096), so a flood of new MACs cannot empty it.
        File.WriteAllText(directory.File("element.json"), $$"""
            {
              "element": { "name": "rely", "ceidIndex": 1, "ceidDigits": "1" },
              "listenAddress": "{{pair.ServerAddress}}",
              "ports": { "dhcp": 67, "tftp": 0, "registration": 0 },
              "database": "element.db",
              "dhcp": { "poolStart": "10.200.0.10", "poolEnd": "10.200.63.250", "subnetMask": "255.255.192.0" },
              "telephoneDirectory": [ { "number": "1000", "name": "Lab set" } ]
            }
            """);
        BackgroundProcess process = pair.Start(pair.ServerNamespace, "dotnet", BuiltPrograms.Controller + " serve --config element.json", directory.Path);
        Assert.IsTrue(process.WaitForLine("option 125 = ", StartTimeout), "controller did not start:\n" + process.Output);
        return process;
    }

    /// <summary>The attacker: rounds of every hostile datagram, sent as a relay (giaddr) so the answers come back to it.</summary>
    private sealed class Attack
    {
        public const string OneMacFlood = "DISCOVER flood from one MAC";
        public const string ManyMacFlood = "DISCOVER flood from new MACs";
        private readonly Socket _socket;
        private readonly IPEndPoint _server;
        private readonly uint _relay;
        private volatile bool _stopping;
        private volatile bool _receiving = true;
        private readonly Thread _receiver;
        private uint _nextXid = 0x15000000;
        private int _nextMac;

        public Attack(Socket socket, IPEndPoint server, IPAddress relay)
        {
            _socket = socket;
            _socket.ReceiveTimeout = 200;
            _server = server;
            byte[] bytes = relay.GetAddressBytes();
            _relay = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
            Expected = new Dictionary<string, string>
            {
                ["truncated inside the header"] = "malformed",
                ["truncated inside an option"] = "malformed",
                ["bad magic cookie"] = "malformed",
                ["option length past the end"] = "malformed",
                ["hlen 17"] = "malformed",
                ["op 7"] = "malformed",
                ["option 52 into a garbage file field"] = "malformed",
                ["BOOTREPLY sent to the server"] = "not an Ethernet BOOTREQUEST",
                ["hlen 8"] = "not an Ethernet BOOTREQUEST",
                ["no message type"] = "no or unknown message type",
                ["message type split in two instances (RFC 3396: 2 bytes)"] = "no or unknown message type",
                ["5,000-byte datagram"] = "oversize",
                ["60,000-byte datagram"] = "oversize",
                ["option 52 = 3: message type in file, host name in sname"] = "offer",
                ["option 52 again inside the file field"] = "offer",
                ["host name split in three instances (RFC 3396)"] = "offer",
                [ManyMacFlood] = "offer",
                [OneMacFlood] = "offer",
            };
            _receiver = new Thread(Receive) { IsBackground = true, Name = "dhcp-attacker-replies" };
            _receiver.Start();
        }

        /// <summary>What each kind of datagram must come to: "offer" or the reason it is dropped for.</summary>
        public Dictionary<string, string> Expected { get; }

        /// <summary>Every datagram sent, by transaction id: its kind.</summary>
        public ConcurrentDictionary<uint, string> Sent { get; } = new();

        /// <summary>The answers, by transaction id.</summary>
        public ConcurrentDictionary<uint, List<DhcpMessage>> Replies { get; } = new();

        public int Rounds { get; private set; }

        public void Stop()
        {
            _stopping = true;
        }

        public void StopReceiving()
        {
            _receiving = false;
            _receiver.Join();
        }

        public Dictionary<string, long> DroppedByReason()
        {
            Dictionary<string, long> counts = new();
            foreach (string kind in Sent.Values)
            {
                string expected = Expected[kind];
                if (expected != "offer")
                {
                    counts[expected] = counts.GetValueOrDefault(expected) + 1;
                }
            }

            return counts;
        }

        public string Describe()
        {
            Dictionary<string, int> byKind = new();
            foreach (string kind in Sent.Values)
            {
                byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
            }

            List<string> parts = new();
            foreach (KeyValuePair<string, int> kind in byKind)
            {
                parts.Add(kind.Key + " " + kind.Value);
            }

            return "attack: " + Rounds + " rounds, " + Sent.Count + " datagrams (" + string.Join("; ", parts) + "), " + Replies.Count + " answered";
        }

        // Rounds of every kind, paced to about 1,100 datagrams a second (below what the server answers on a loaded machine).
        public void Run()
        {
            while (!_stopping)
            {
                Stopwatch round = Stopwatch.StartNew();
                foreach (string kind in Expected.Keys)
                {
                    int times = kind == ManyMacFlood ? ManyMacsPerRound : kind == OneMacFlood ? OneMacPerRound : 1;
                    for (int i = 0; i < times; i++)
                    {
                        uint xid = _nextXid++;
                        Sent[xid] = kind;
                        _socket.SendTo(Build(kind, xid), _server);
                    }
                }

                Rounds++;
                int rest = 100 - (int)round.ElapsedMilliseconds;
                if (rest > 0)
                {
                    Thread.Sleep(rest);
                }
            }
        }

        private void Receive()
        {
            byte[] buffer = new byte[4096];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            while (_receiving)
            {
                int received;
                try
                {
                    received = _socket.ReceiveFrom(buffer, ref from);
                }
                catch (SocketException)
                {
                    continue;
                }

                DhcpMessage reply = DhcpMessage.Parse(buffer, 0, received);
                Replies.GetOrAdd(reply.TransactionId, _ => new List<DhcpMessage>()).Add(reply);
            }
        }

        private DhcpMessage Discover(uint xid, byte[] mac)
        {
            DhcpMessage discover = new() { Op = DhcpMessage.BootRequest, TransactionId = xid, ClientHardwareAddress = mac, RelayAddress = _relay };
            discover.MessageType = DhcpMessageType.Discover;
            return discover;
        }

        private byte[] NewMac()
        {
            int n = ++_nextMac;
            return new byte[] { 0x02, 0xee, 0, (byte)(n >> 16), (byte)(n >> 8), (byte)n };
        }

        private byte[] Build(string kind, uint xid)
        {
            byte[] mac = kind == OneMacFlood ? new byte[] { 0x02, 0xee, 0xff, 0, 0, 1 } : NewMac();
            DhcpMessage discover = Discover(xid, mac);
            byte[] plain = discover.Encode(); // 236 fixed, cookie at 236, options from 240: 53 1 1 255, padded to 300
            switch (kind)
            {
                case "truncated inside the header":
                    return plain[..100];
                case "truncated inside an option":
                    discover.Options.SetString(DhcpOptionCode.HostName, "a-host-name-of-some-length");
                    return discover.Encode()[..249];
                case "bad magic cookie":
                    plain[239] ^= 1;
                    return plain;
                case "option length past the end":
                    plain[243] = DhcpOptionCode.HostName;
                    plain[244] = 255;
                    return plain;
                case "hlen 17":
                    plain[2] = 17;
                    return plain;
                case "op 7":
                    plain[0] = 7;
                    return plain;
                case "option 52 into a garbage file field":
                    Options(plain, 240, 52, 1, 1, 255);
                    Options(plain, 108, 12, 200);
                    return plain;
                case "BOOTREPLY sent to the server":
                    plain[0] = 2;
                    return plain;
                case "hlen 8":
                    plain[2] = 8;
                    return plain;
                case "no message type":
                    Options(plain, 240, 255);
                    return plain;
                case "message type split in two instances (RFC 3396: 2 bytes)":
                    Options(plain, 240, 53, 1, 1, 53, 1, 1, 255);
                    return plain;
                case "5,000-byte datagram":
                    return Padded(plain, 5000);
                case "60,000-byte datagram":
                    return Padded(plain, 60000);
                case "option 52 = 3: message type in file, host name in sname":
                    Options(plain, 240, 52, 1, 3, 255);
                    Options(plain, 108, 53, 1, 1, 255);
                    Options(plain, 44, 12, 4, (byte)'r', (byte)'e', (byte)'l', (byte)'y', 255);
                    return plain;
                case "option 52 again inside the file field":
                    Options(plain, 240, 52, 1, 3, 255);
                    Options(plain, 108, 52, 1, 3, 53, 1, 1, 255);
                    Options(plain, 44, 52, 1, 1, 255);
                    return plain;
                case "host name split in three instances (RFC 3396)":
                    Options(plain, 240, 53, 1, 1, 12, 2, (byte)'r', (byte)'e', 12, 1, (byte)'l', 12, 1, (byte)'y', 255);
                    return plain;
                default:
                    return plain;
            }
        }

        // Writes raw option bytes at an offset and clears the rest of that area.
        private static void Options(byte[] message, int offset, params byte[] bytes)
        {
            int end = offset == 44 ? 108 : offset == 108 ? 236 : message.Length;
            Array.Clear(message, offset, end - offset);
            Array.Copy(bytes, 0, message, offset, bytes.Length);
        }

        // A well-formed DISCOVER followed by pad bytes up to the length: valid but for its size.
        private static byte[] Padded(byte[] message, int length)
        {
            byte[] padded = new byte[length];
            Array.Copy(message, padded, message.Length);
            return padded;
        }
    }
}
