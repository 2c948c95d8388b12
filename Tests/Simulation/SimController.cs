using System;
using System.Collections.Generic;
using Controller.Database;
using Controller.Dhcp;
using Controller.Forms;
using Controller.Registration;
using Hal;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Registration;
using Protocol.Tftp;

namespace Tests.Simulation;

/// <summary>
/// A cluster element on the simulated network: the same sans-IO DHCP server, TFTP sessions and
/// registration code (<see cref="RegistrationHub"/> over a real SQLite database) that
/// `controller serve` runs, moved by the runner instead of socket threads. RDN updates the hub
/// announces go to the other elements over simulated links, as the RdnSynchronizer sends them.
/// </summary>
public sealed class SimController : ISimActor, IDisposable
{
    public const int DhcpPort = 67;
    public const int TftpPort = 69;
    public const int RegistrationPort = 6800;

    private readonly List<(IStreamConnection Stream, byte[] Frame)> _outbound = new();
    private SimDatagramSocket _dhcpSocket;
    private SimDatagramSocket _tftpSocket;
    private SimStreamListener _listener;
    private readonly string _databasePath;
    private readonly bool _serveDhcp;
    private readonly DhcpServerConfig _dhcpConfig;
    private DhcpServer _dhcp;
    private SqliteLeaseStore _leases;
    private readonly Dictionary<string, byte[]> _files = new();
    private readonly List<TftpTransfer> _transfers = new();
    private readonly List<SimLink> _links = new();
    private long _now;
    private readonly byte[] _buffer = new byte[65536];

    public SimController(SimRunner runner, string name, uint address, string databasePath, bool serveDhcp = true)
    {
        _serveDhcp = serveDhcp;
        Host = runner.Network.AddHost(name, new byte[] { 0x02, 0, 0, 0, 0, (byte)address }, address);
        Host.ResetsAddress = false;
        _databasePath = databasePath;
        Database = ElementDatabase.Open(databasePath);
        Forms = new ElementForms(Database);
        _leases = new SqliteLeaseStore(Database, new object());
        PhoneConfigString = "id:ipphone.mitel.com;sw_tftp=" + Ipv4.Format(address) + ";call_srv=" + Ipv4.Format(address) + ":" + RegistrationPort;
        DhcpServerConfig dhcp = new()
        {
            ServerAddress = address,
            PoolStart = (address & 0xFFFFFF00) | 50,
            PoolEnd = (address & 0xFFFFFF00) | 199,
            SubnetMask = 0xFFFFFF00,
            Router = address,
            PhoneConfigString = PhoneConfigString,
            Option125Encoding = 1,
        };
        _dhcpConfig = dhcp;
        _dhcp = new DhcpServer(dhcp, _leases);
        _dhcpSocket = Host.Bind(DhcpPort);
        _tftpSocket = Host.Bind(TftpPort);
        _listener = Host.Listen(RegistrationPort);
        Hub = NewHub();
    }

    public RegistrationPolicy Policy { get; } = new() { LockoutMilliseconds = 60_000 };

    /// <summary>The element's registration code, as `controller serve` runs it; a restart starts a new one.</summary>
    public RegistrationHub Hub { get; private set; }

    /// <summary>PinEntry frames with the replacement access code this element received (typed or preset; stored PINs not counted).</summary>
    public int ReplacementPinsReceived { get; private set; }

    /// <summary>The sets registered here now: (MAC, DN).</summary>
    public List<(string Mac, string Dn)> LiveRegistrations()
    {
        List<(string, string)> live = new();
        foreach (SimLink link in _links)
        {
            if (link.Link.Session.Mac != null && link.Link.Session.RegisteredDn != null && link.Stream.State == StreamState.Connected)
            {
                live.Add((link.Link.Session.Mac, link.Link.Session.RegisteredDn));
            }
        }

        return live;
    }

    /// <summary>What the admin surface does after a form change: re-examine every live set.</summary>
    public void Recheck()
    {
        Hub.Recheck(_now);
    }

    /// <summary>Sends one frame on a fresh link to another element's registration port (RDN synchronisation).</summary>
    public void SendToElement(uint address, RegistrationMessage frame)
    {
        _outbound.Add((Host.Connect(address, RegistrationPort), RegistrationCodec.Encode(frame)));
    }

    /// <summary>The controller process dies: links vanish without a word and nothing answers until <see cref="Restart"/>.</summary>
    public void Crash(SimRunner runner)
    {
        IsRunning = false;
        runner.Remove(this);
        Host.Reset();
        _links.Clear();
        _transfers.Clear();
        _outbound.Clear();
        Host.IsLinkUp = false;
    }

    /// <summary>The process starts again over the same database file; in-memory state (lock-outs, links) starts empty.</summary>
    public void Restart(SimRunner runner)
    {
        Host.IsLinkUp = true;
        if (_databasePath != ":memory:")
        {
            Database.Dispose();
            Database = ElementDatabase.Open(_databasePath);
            Forms = new ElementForms(Database);
            _leases = new SqliteLeaseStore(Database, new object());
            _dhcp = new DhcpServer(_dhcpConfig, _leases);
        }

        _dhcpSocket = Host.Bind(DhcpPort);
        _tftpSocket = Host.Bind(TftpPort);
        _listener = Host.Listen(RegistrationPort);
        Hub = NewHub();
        IsRunning = true;
        runner.Add(this);
    }

    /// <summary>False between <see cref="Crash"/> and <see cref="Restart"/>.</summary>
    public bool IsRunning { get; private set; } = true;

    public SimHost Host { get; }

    public ElementDatabase Database { get; private set; }

    public ElementForms Forms { get; private set; }

    public string PhoneConfigString { get; }

    public int TransfersCompleted { get; private set; }

    /// <summary>Read requests still to be answered ERROR 0 "server busy" before any is served (a server working through a storm).</summary>
    public int TftpBusyAnswers { get; set; }

    /// <summary>Read requests are read and left unanswered (a TFTP server that is down).</summary>
    public bool TftpSilent { get; set; }

    /// <summary>The window each completed transfer ran at (1 without RFC 7440's option).</summary>
    public List<int> TransferWindowSizes { get; } = new();

    public int RegistrationFrames { get; private set; }

    public List<RegistrationMessage> Replies { get; } = new();

    public void AddFile(string name, byte[] content)
    {
        _files[name] = content;
    }

    public long Step(long now)
    {
        if (!IsRunning)
        {
            // Crashed by another actor earlier in the same round: a dead process does nothing.
            return Deadline.None;
        }

        _now = now;
        StepDhcp(now);
        StepTftpRequests(now);
        long deadline = StepTransfers(now);
        StepRegistrations(now);
        StepOutbound();
        return deadline;
    }

    public void Dispose()
    {
        Database.Dispose();
    }

    private void StepDhcp(long now)
    {
        if (!_serveDhcp)
        {
            while (_dhcpSocket.Receive(_buffer, out uint _, out int _) >= 0)
            {
            }

            return;
        }

        int length;
        while ((length = _dhcpSocket.Receive(_buffer, out uint _, out int _)) >= 0)
        {
            DhcpDatagram? reply = _dhcp.Handle(_buffer, 0, length, now);
            if (reply != null)
            {
                _dhcpSocket.Send(reply.Data, 0, reply.Data.Length, reply.Destination, 68);
            }
        }
    }

    private void StepTftpRequests(long now)
    {
        int length;
        while ((length = _tftpSocket.Receive(_buffer, out uint address, out int port)) >= 0)
        {
            TftpPacket request;
            try
            {
                request = TftpPacket.Parse(_buffer, 0, length);
            }
            catch (ProtocolParseException)
            {
                continue;
            }

            if (TftpSilent)
            {
                continue;
            }

            if (request.Opcode == TftpOpcode.ReadRequest && TftpBusyAnswers > 0)
            {
                TftpBusyAnswers--;
                byte[] busy = TftpPacketWriter.Error(TftpErrorCode.NotDefined, "server busy, try again");
                _tftpSocket.Send(busy, 0, busy.Length, address, port);
                continue;
            }

            if (request.Opcode != TftpOpcode.ReadRequest || !_files.TryGetValue(request.FileName, out byte[]? content))
            {
                byte[] error = TftpPacketWriter.Error(TftpErrorCode.FileNotFound, "file not found");
                _tftpSocket.Send(error, 0, error.Length, address, port);
                continue;
            }

            TftpReadSession session = new(request, new MemoryFile(content), new TftpSessionLimits());
            TftpTransfer transfer = new(Host.Bind(0), session, address, port);
            session.Start(now);
            _transfers.Add(transfer);
        }
    }

    private long StepTransfers(long now)
    {
        long deadline = Deadline.None;
        foreach (TftpTransfer transfer in _transfers.ToArray())
        {
            int length;
            while ((length = transfer.Socket.Receive(_buffer, out uint address, out int port)) >= 0)
            {
                if (address != transfer.ClientAddress || port != transfer.ClientPort)
                {
                    byte[] error = TftpPacketWriter.Error(TftpErrorCode.UnknownTransferId, "unknown transfer ID");
                    transfer.Socket.Send(error, 0, error.Length, address, port);
                    continue;
                }

                transfer.Session.OnReceive(_buffer, 0, length, now);
            }

            TftpDatagram? datagram;
            while ((datagram = transfer.Session.Poll(now)) != null)
            {
                transfer.Socket.Send(datagram.Data, 0, datagram.Length, transfer.ClientAddress, transfer.ClientPort);
            }

            if (transfer.Session.State == TftpTransferState.Completed || transfer.Session.State == TftpTransferState.Failed)
            {
                if (transfer.Session.State == TftpTransferState.Completed)
                {
                    TransfersCompleted++;
                    TransferWindowSizes.Add(transfer.Session.WindowSize);
                }

                transfer.Socket.Close();
                _transfers.Remove(transfer);
                continue;
            }

            deadline = Math.Min(deadline, transfer.Session.NextDeadline);
        }

        return deadline;
    }

    private void StepOutbound()
    {
        foreach ((IStreamConnection stream, byte[] frame) in _outbound.ToArray())
        {
            if (stream.State == StreamState.Connected)
            {
                stream.Send(frame, 0, frame.Length);
                stream.Close();
                _outbound.Remove((stream, frame));
            }
            else if (stream.State != StreamState.Connecting)
            {
                _outbound.Remove((stream, frame));
            }
        }
    }

    // Lock-outs and links live in the process: a restart starts them empty.
    private RegistrationHub NewHub()
    {
        RegistrationHub hub = new(Forms, new object(), Policy);
        hub.Replied += (_, frame) => Replies.Add(frame);
        hub.Received += (_, frame) =>
        {
            RegistrationFrames++;
            if (frame.Type == RegistrationMessageType.PinEntry && frame.Pin != null && frame.Pin.StartsWith(Forms.SystemOptions.ReplacementAccessCode, StringComparison.Ordinal))
            {
                ReplacementPinsReceived++;
            }
        };
        hub.Announce += update =>
        {
            foreach ((int _, string _, bool isLocal, string address, int _, string _) in Forms.ClusterDirectory.ListElements())
            {
                if (!isLocal && Ipv4.TryParse(address, out uint peer))
                {
                    SendToElement(peer, update);
                }
            }
        };
        return hub;
    }

    private void StepRegistrations(long now)
    {
        SimStreamConnection? accepted;
        while ((accepted = _listener.Accept()) != null)
        {
            SimTransport transport = new(accepted);
            _links.Add(new SimLink(accepted, Hub.Open(transport)));
        }

        foreach (SimLink link in _links.ToArray())
        {
            int count;
            while ((count = link.Stream.Receive(_buffer, 0, RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength)) > 0)
            {
                if (Hub.Receive(link.Link, _buffer, 0, count, now) < 0)
                {
                    link.Stream.Close(); // malformed: the hub told the peer why
                    break;
                }
            }

            if (link.Stream.State == StreamState.Closed || link.Stream.State == StreamState.Failed)
            {
                Hub.Close(link.Link);
                _links.Remove(link);
            }
        }
    }

    private sealed record TftpTransfer(SimDatagramSocket Socket, TftpReadSession Session, uint ClientAddress, int ClientPort);

    private sealed record SimLink(SimStreamConnection Stream, RegistrationLink Link);

    private sealed class SimTransport : IRegistrationTransport
    {
        private readonly SimStreamConnection _stream;

        public SimTransport(SimStreamConnection stream)
        {
            _stream = stream;
        }

        public string Peer => _stream.ToString() ?? "sim";

        public bool Send(RegistrationMessage frame)
        {
            if (_stream.State != StreamState.Connected)
            {
                return false;
            }

            byte[] bytes = RegistrationCodec.Encode(frame);
            _stream.Send(bytes, 0, bytes.Length);
            return true;
        }
    }

    private sealed class MemoryFile : ITftpFileSource
    {
        private readonly byte[] _content;

        public MemoryFile(byte[] content)
        {
            _content = content;
        }

        public long Length => _content.Length;

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, _content.Length - position);
            Array.Copy(_content, position, buffer, offset, n);
            return n;
        }
    }
}
