using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Protocol.Common;
using Protocol.Dhcp;

namespace Tests.Reliability;

/// <summary>
/// Many DHCP clients through one relay socket (giaddr = the socket's address, answers to its port
/// 67): batches of new MACs each DISCOVER, REQUEST what was offered, and every ACK seen is recorded
/// (MAC → address, and every ACK in order). What the server ACKed is what it must not forget.
/// </summary>
public sealed class RelayedDhcpStorm
{
    private const int Batch = 32;
    private static readonly TimeSpan AnswerWait = TimeSpan.FromMilliseconds(300);
    private readonly Socket _socket;
    private readonly IPEndPoint _server;
    private readonly uint _relay;
    private readonly uint _serverId;
    private readonly byte[] _buffer = new byte[4096];
    private int _nextClient;

    public RelayedDhcpStorm(Socket socket, IPEndPoint server, IPAddress relay, int macPrefix)
    {
        _socket = socket;
        _socket.ReceiveTimeout = 50;
        _server = server;
        _relay = Address(relay);
        _serverId = Address(server.Address);
        MacPrefix = macPrefix;
    }

    public int MacPrefix { get; }

    /// <summary>MAC (aa:bb:… text) → the address its last ACK gave.</summary>
    public ConcurrentDictionary<string, uint> Acked { get; } = new();

    /// <summary>Every ACK seen, in order: (MAC, address).</summary>
    public ConcurrentQueue<(string Mac, uint Address)> AckLog { get; } = new();

    /// <summary>Runs batches of new clients until <paramref name="stop"/> is set.</summary>
    public void Run(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Dictionary<uint, byte[]> clients = new();
            for (int i = 0; i < Batch; i++)
            {
                int n = _nextClient++;
                byte[] mac = { 0x02, 0x15, (byte)MacPrefix, (byte)(n >> 16), (byte)(n >> 8), (byte)n };
                uint xid = ((uint)MacPrefix << 24) | ((uint)n << 1);
                clients[xid] = mac;
                Send(Message(DhcpMessageType.Discover, xid, mac, 0));
            }

            foreach (DhcpMessage offer in Collect(DhcpMessageType.Offer, clients.Count))
            {
                if (clients.TryGetValue(offer.TransactionId, out byte[]? mac))
                {
                    Send(Message(DhcpMessageType.Request, offer.TransactionId | 1, mac, offer.YourAddress));
                }
            }

            foreach (DhcpMessage ack in Collect(DhcpMessageType.Ack, clients.Count))
            {
                string mac = MacAddress.Format(ack.ClientHardwareAddress);
                Acked[mac] = ack.YourAddress;
                AckLog.Enqueue((mac, ack.YourAddress));
            }
        }
    }

    /// <summary>DISCOVERs for each MAC given; returns the address each was offered (0: no offer).</summary>
    public Dictionary<string, uint> Offers(IEnumerable<string> macs)
    {
        Dictionary<string, uint> offered = new();
        List<string> batch = new();
        foreach (string mac in macs)
        {
            batch.Add(mac);
            if (batch.Count == Batch)
            {
                OfferBatch(batch, offered);
                batch.Clear();
            }
        }

        OfferBatch(batch, offered);
        return offered;
    }

    private void OfferBatch(List<string> macs, Dictionary<string, uint> offered)
    {
        uint xid = 0xC0000000 | (uint)(_nextClient++ << 8);
        Dictionary<uint, string> byXid = new();
        foreach (string mac in macs)
        {
            offered[mac] = 0;
            byXid[xid] = mac;
            Send(Message(DhcpMessageType.Discover, xid++, Array.ConvertAll(mac.Split(':'), part => Convert.ToByte(part, 16)), 0));
        }

        foreach (DhcpMessage offer in Collect(DhcpMessageType.Offer, macs.Count))
        {
            if (byXid.TryGetValue(offer.TransactionId, out string? mac))
            {
                offered[mac] = offer.YourAddress;
            }
        }
    }

    private List<DhcpMessage> Collect(DhcpMessageType type, int expected)
    {
        List<DhcpMessage> replies = new();
        Stopwatch waited = Stopwatch.StartNew();
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (replies.Count < expected && waited.Elapsed < AnswerWait)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(_buffer, ref from);
            }
            catch (SocketException)
            {
                continue;
            }

            DhcpMessage reply = DhcpMessage.Parse(_buffer, 0, received);
            if (reply.MessageType == type)
            {
                replies.Add(reply);
            }
        }

        return replies;
    }

    private DhcpMessage Message(DhcpMessageType type, uint xid, byte[] mac, uint requested)
    {
        DhcpMessage message = new() { Op = DhcpMessage.BootRequest, TransactionId = xid, ClientHardwareAddress = mac, RelayAddress = _relay };
        message.MessageType = type;
        if (type == DhcpMessageType.Request)
        {
            message.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, _serverId);
            message.Options.SetUInt32(DhcpOptionCode.RequestedAddress, requested);
        }

        return message;
    }

    private void Send(DhcpMessage message)
    {
        try
        {
            _socket.SendTo(message.Encode(), _server);
        }
        catch (SocketException)
        {
            // the server's side is gone for the moment (killed): the storm goes on
        }
    }

    private static uint Address(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}
