using System;
using System.Collections.Generic;
using Controller.Database;
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
/// registration decisions (over a real SQLite database) that `controller serve` runs, moved by
/// the runner instead of socket threads.
/// </summary>
public sealed class SimController : ISimActor, IDisposable
{
    public const int DhcpPort = 67;
    public const int TftpPort = 69;
    public const int RegistrationPort = 6800;

    private readonly SimDatagramSocket _dhcpSocket;
    private readonly SimDatagramSocket _tftpSocket;
    private readonly SimStreamListener _listener;
    private readonly DhcpServer _dhcp;
    private readonly Dictionary<string, byte[]> _files = new();
    private readonly List<TftpTransfer> _transfers = new();
    private readonly List<RegistrationLink> _links = new();
    private readonly byte[] _buffer = new byte[65536];

    public SimController(SimRunner runner, string name, uint address, string databasePath)
    {
        Host = runner.Network.AddHost(name, new byte[] { 0x02, 0, 0, 0, 0, (byte)address }, address);
        Host.ResetsAddress = false;
        Database = ElementDatabase.Open(databasePath);
        Forms = new ElementForms(Database);
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
        _dhcp = new DhcpServer(dhcp, Leases);
        _dhcpSocket = Host.Bind(DhcpPort);
        _tftpSocket = Host.Bind(TftpPort);
        _listener = Host.Listen(RegistrationPort);
    }

    public SimHost Host { get; }

    public ElementDatabase Database { get; }

    public ElementForms Forms { get; }

    public InMemoryDhcpLeaseStore Leases { get; } = new();

    public string PhoneConfigString { get; }

    public int TransfersCompleted { get; private set; }

    public int RegistrationFrames { get; private set; }

    public List<RegistrationMessage> Replies { get; } = new();

    public void AddFile(string name, byte[] content)
    {
        _files[name] = content;
    }

    public long Step(long now)
    {
        StepDhcp(now);
        StepTftpRequests(now);
        long deadline = StepTransfers(now);
        StepRegistrations();
        return deadline;
    }

    public void Dispose()
    {
        Database.Dispose();
    }

    private void StepDhcp(long now)
    {
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
                TransfersCompleted += transfer.Session.State == TftpTransferState.Completed ? 1 : 0;
                transfer.Socket.Close();
                _transfers.Remove(transfer);
                continue;
            }

            deadline = Math.Min(deadline, transfer.Session.NextDeadline);
        }

        return deadline;
    }

    private void StepRegistrations()
    {
        SimStreamConnection? accepted;
        while ((accepted = _listener.Accept()) != null)
        {
            _links.Add(new RegistrationLink(accepted, new RegistrationSession(Forms)));
        }

        foreach (RegistrationLink link in _links.ToArray())
        {
            int count;
            try
            {
                while ((count = link.Stream.Receive(_buffer, 0, RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength)) > 0)
                {
                    link.Reader.Append(_buffer, 0, count);
                    RegistrationMessage? message;
                    while ((message = link.Reader.TryRead()) != null)
                    {
                        RegistrationFrames++;
                        foreach (RegistrationMessage reply in link.Session.Handle(message))
                        {
                            Replies.Add(reply);
                            byte[] frame = RegistrationCodec.Encode(reply);
                            link.Stream.Send(frame, 0, frame.Length);
                        }
                    }
                }
            }
            catch (ProtocolParseException e)
            {
                byte[] frame = RegistrationCodec.Encode(RegistrationMessage.Error(e.Message));
                link.Stream.Send(frame, 0, frame.Length);
                link.Stream.Close();
            }

            if (link.Stream.State == StreamState.Closed || link.Stream.State == StreamState.Failed)
            {
                _links.Remove(link);
            }
        }
    }

    private sealed record TftpTransfer(SimDatagramSocket Socket, TftpReadSession Session, uint ClientAddress, int ClientPort);

    private sealed record RegistrationLink(SimStreamConnection Stream, RegistrationSession Session)
    {
        public RegistrationFrameReader Reader { get; } = new();
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
