using System.Collections;
using Protocol.Common;
using Protocol.Tftp;
using Tests.Portable.Support;

namespace Tests.Portable.Tftp;

/// <summary>
/// Wires a <see cref="TftpReadClient"/> to server sessions, sans-IO on both sides: each request to
/// port 0 (the well-known port) starts a <see cref="TftpReadSession"/> on a new port, as a real
/// server does. Packets can be dropped (by index or at a seeded rate), duplicated or injected;
/// simulated time jumps to the next deadline when nothing is in flight.
/// </summary>
public sealed class TftpLink
{
    public const int FirstServerPort = 50000;

    private readonly ITftpFileSource _file;
    private readonly TftpSessionLimits _limits;
    private readonly ArrayList _sessions = new ArrayList();
    private readonly ArrayList _dropClient = new ArrayList();
    private readonly ArrayList _dropServer = new ArrayList();
    private SeededRandom? _loss;
    private int _lossPercent;
    private int _nextPort = FirstServerPort;

    public TftpLink(string fileName, TftpReadOptions options, ITftpDataSink sink, ITftpFileSource file, TftpSessionLimits limits)
    {
        Client = new TftpReadClient(fileName, options, sink);
        _file = file;
        _limits = limits;
    }

    public TftpReadClient Client { get; }

    public long Now { get; private set; }

    /// <summary>Sessions built from the request without its options, as by an RFC 1350-only server.</summary>
    public bool ServerIgnoresOptions { get; set; }

    /// <summary>How many requests with options are answered with ERROR 8 before a session is started.</summary>
    public int RefuseOptions { get; set; }

    /// <summary>No server at all: requests go nowhere.</summary>
    public bool ServerSilent { get; set; }

    /// <summary>Every packet from the client to a session is delivered twice.</summary>
    public bool DuplicateClientPackets { get; set; }

    /// <summary>Delivered to the client from <see cref="InjectPort"/> after server packet <see cref="InjectAfter"/>.</summary>
    public byte[]? Inject { get; set; }

    public int InjectAfter { get; set; }

    public int InjectPort { get; set; }

    public int ClientPackets { get; private set; }

    public int ServerPackets { get; private set; }

    /// <summary>DATA packets the sessions sent, dropped or not.</summary>
    public int DataPackets { get; private set; }

    /// <summary>Requests (RRQ) the client sent, dropped or not.</summary>
    public ArrayList Requests { get; } = new ArrayList();

    /// <summary>Packets the client sent to a port no session has (as byte arrays); with <see cref="StrayPorts"/>.</summary>
    public ArrayList Strays { get; } = new ArrayList();

    public ArrayList StrayPorts { get; } = new ArrayList();

    public int SessionCount => _sessions.Count;

    /// <summary>The first session, or null when none was started.</summary>
    public TftpReadSession? Session => _sessions.Count == 0 ? null : (TftpReadSession)_sessions[0]!;

    public TftpReadSession SessionAt(int index)
    {
        return (TftpReadSession)_sessions[index]!;
    }

    public void DropClientPacket(int index)
    {
        _dropClient.Add(index);
    }

    public void DropServerPacket(int index)
    {
        _dropServer.Add(index);
    }

    public void LoseAtRandom(uint seed, int percent)
    {
        _loss = new SeededRandom(seed);
        _lossPercent = percent;
    }

    /// <summary>Runs until the client and every session have finished, nothing is scheduled, or <paramref name="until"/>.</summary>
    public void Run(long until)
    {
        Client.Start(Now);
        while (Now <= until)
        {
            bool moved = true;
            while (moved)
            {
                moved = false;
                TftpDatagram? datagram = Client.Poll(Now);
                while (datagram != null)
                {
                    moved = true;
                    ToServer(datagram);
                    datagram = Client.Poll(Now);
                }

                for (int i = 0; i < _sessions.Count; i++)
                {
                    TftpReadSession session = SessionAt(i);
                    datagram = session.Poll(Now);
                    while (datagram != null)
                    {
                        moved = true;
                        ToClient(datagram, FirstServerPort + i);
                        datagram = session.Poll(Now);
                    }
                }
            }

            long next = Client.NextDeadline;
            bool allDone = IsFinal(Client.State);
            for (int i = 0; i < _sessions.Count; i++)
            {
                next = Deadline.Earliest(next, SessionAt(i).NextDeadline);
                allDone = allDone && IsFinal(SessionAt(i).State);
            }

            if (allDone || next == Deadline.None)
            {
                return;
            }

            Now = next > Now ? next : Now + 1;
        }
    }

    private static bool IsFinal(TftpTransferState state)
    {
        return state == TftpTransferState.Completed || state == TftpTransferState.Failed;
    }

    private bool Lost(ArrayList drops, int index)
    {
        if (drops.IndexOf(index) >= 0)
        {
            return true;
        }

        return _loss != null && _loss.Next(100) < _lossPercent;
    }

    private void ToServer(TftpDatagram datagram)
    {
        int index = ClientPackets++;
        if (datagram.DestinationPort == 0)
        {
            Requests.Add(Bytes.Slice(datagram.Data, 0, datagram.Length));
        }

        if (Lost(_dropClient, index))
        {
            return;
        }

        if (datagram.DestinationPort == 0)
        {
            if (ServerSilent)
            {
                return;
            }

            TftpPacket request = TftpPacket.Parse(datagram.Data, 0, datagram.Length);
            if (RefuseOptions > 0 && request.OptionNames.Length > 0)
            {
                RefuseOptions--;
                byte[] refusal = TftpPacketWriter.Error(TftpErrorCode.OptionRefused, "options refused");
                Client.OnReceive(refusal, 0, refusal.Length, _nextPort + 1000, Now);
                return;
            }

            if (ServerIgnoresOptions)
            {
                byte[] plain = TftpPacketWriter.Request(TftpOpcode.ReadRequest, request.FileName, request.Mode, new string[0], new string[0]);
                request = TftpPacket.Parse(plain, 0, plain.Length);
            }

            TftpReadSession session = new TftpReadSession(request, _file, _limits);
            _sessions.Add(session);
            _nextPort++;
            session.Start(Now);
            return;
        }

        int sessionIndex = datagram.DestinationPort - FirstServerPort;
        if (sessionIndex < 0 || sessionIndex >= _sessions.Count)
        {
            Strays.Add(Bytes.Slice(datagram.Data, 0, datagram.Length));
            StrayPorts.Add(datagram.DestinationPort);
            return;
        }

        TftpReadSession target = SessionAt(sessionIndex);
        target.OnReceive(datagram.Data, 0, datagram.Length, Now);
        if (DuplicateClientPackets)
        {
            target.OnReceive(datagram.Data, 0, datagram.Length, Now);
        }
    }

    private void ToClient(TftpDatagram datagram, int port)
    {
        int index = ServerPackets++;
        if (datagram.Length >= 2 && BigEndian.ReadUInt16(datagram.Data, 0) == (int)TftpOpcode.Data)
        {
            DataPackets++;
        }

        if (!Lost(_dropServer, index))
        {
            Client.OnReceive(datagram.Data, 0, datagram.Length, port, Now);
        }

        if (Inject != null && index == InjectAfter)
        {
            Client.OnReceive(Inject, 0, Inject.Length, InjectPort, Now);
        }
    }
}
