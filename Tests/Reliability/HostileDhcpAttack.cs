using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Protocol.Dhcp;

namespace Tests.Reliability;

/// <summary>The attacker: rounds of every hostile datagram, sent as a relay (giaddr) so the answers come back to it.</summary>
public sealed class HostileDhcpAttack
{
    public const string OneMacFlood = "DISCOVER flood from one MAC";
    public const string ManyMacFlood = "DISCOVER flood from new MACs";
    private readonly Socket _socket;
    private readonly int _manyMacsPerRound;
    private readonly int _oneMacPerRound;
    private readonly IPEndPoint _server;
    private readonly uint _relay;
    private volatile bool _stopping;
    private volatile bool _receiving = true;
    private readonly Thread _receiver;
    private uint _nextXid = 0x15000000;
    private int _nextMac;

    public HostileDhcpAttack(Socket socket, int manyMacsPerRound, int oneMacPerRound, IPEndPoint server, IPAddress relay)
    {
        _socket = socket;
        _manyMacsPerRound = manyMacsPerRound;
        _oneMacPerRound = oneMacPerRound;
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

    /// <summary>The transaction id of the last datagram sent.</summary>
    public uint LastTransactionId => _nextXid - 1;

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
                int times = kind == ManyMacFlood ? _manyMacsPerRound : kind == OneMacFlood ? _oneMacPerRound : 1;
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
