using Hal;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Core.Integrity;
using PhoneFirmware.Core.Storage;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Tftp;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// Fetches the boot files by TFTP from the servers named in <c>sw_tftp</c>, in order, falling back
/// to the next server when one fails; hashes each file as it streams so nothing is buffered
/// beyond the transfer's own block. When the server has a manifest (<see cref="BootManifest"/>),
/// it is fetched first and each file must match its size and SHA-256; a server without one
/// (TFTP "file not found") gets its files fetched and reported unverified.
/// The image file (<see cref="PhoneSettings.ImageFile"/>), on a phone with an image flash, is
/// written there only when the manifest gives it a version other than the installed one: into
/// the half the installed image does not use, as it streams in, and recorded as installed once
/// verified. With the installed version it is not fetched at all (<c>tftp.skipped</c>).
/// </summary>
public sealed class BootFileStage : ITftpDataSink
{
    private readonly INetworkInterface _network;
    private readonly PhoneSettings _settings;
    private readonly IPhoneEventSink _events;
    private readonly byte[] _receiveBuffer = new byte[65536];
    private ServerEndpoint[] _servers = new ServerEndpoint[0];
    private string[] _files = new string[0];
    private int _fileIndex;
    private int _serverIndex;
    private uint _serverAddress;
    private int _serverPort;
    private IDatagramSocket? _socket;
    private TftpReadClient? _transfer;
    private Sha256? _hash;
    private long _bytes;
    private bool _fetchingManifest;
    private int _manifestServer = -1;
    private byte[] _manifestBuffer = new byte[0];
    private BootManifest? _manifest;
    private readonly ImageVersionStore? _installed;
    private readonly IFlashRegion? _imageFlash;
    private int _imagePartition = -1; // the half being written, or -1 when this file is not written

    public BootFileStage(INetworkInterface network, PhoneSettings settings, IPhoneEventSink events)
    {
        _network = network;
        _settings = settings;
        _events = events;
    }

    /// <summary>A stage that installs the image file into <paramref name="imageFlash"/> (two halves), recording it in <paramref name="installed"/>.</summary>
    public BootFileStage(INetworkInterface network, PhoneSettings settings, IPhoneEventSink events, ImageVersionStore installed, IFlashRegion imageFlash)
        : this(network, settings, events)
    {
        _installed = installed;
        _imageFlash = imageFlash;
    }

    /// <summary>Bytes in one half of the image flash: the largest image that can be installed.</summary>
    public int ImagePartitionSize => _imageFlash == null ? 0 : _imageFlash.Size / 2;

    public BootFileStageState State { get; private set; } = BootFileStageState.Idle;

    /// <summary>Percent of the current file, or -1 while its size is unknown.</summary>
    public int ProgressPercent
    {
        get
        {
            if (_transfer == null || _transfer.TransferSize <= 0)
            {
                return -1;
            }

            return (int)(_transfer.BytesReceived * 100 / _transfer.TransferSize);
        }
    }

    public string CurrentFile => _fetchingManifest ? _settings.ManifestFile : (_fileIndex < _files.Length ? _files[_fileIndex] : string.Empty);

    public string? FailureReason { get; private set; }

    public void Start(long now, ServerEndpoint[] servers, string[] files)
    {
        _servers = servers;
        _files = files;
        _fileIndex = 0;
        _serverIndex = 0;
        FailureReason = null;
        if (files.Length == 0)
        {
            State = BootFileStageState.Completed;
            return;
        }

        if (servers.Length == 0)
        {
            Fail("no TFTP server in the DHCP options");
            return;
        }

        State = BootFileStageState.Running;
        StartTransfer(now);
    }

    public long Step(long now)
    {
        if (State != BootFileStageState.Running || _transfer == null || _socket == null)
        {
            return Deadline.None;
        }

        while (true)
        {
            int length = _socket.Receive(_receiveBuffer, out uint address, out int port);
            if (length < 0)
            {
                break;
            }

            if (address == _serverAddress)
            {
                _transfer.OnReceive(_receiveBuffer, 0, length, port, now);
            }
        }

        Flush(now);
        if (_fetchingManifest && _transfer.State == TftpTransferState.Completed)
        {
            FinishManifest(now);
        }
        else if (_fetchingManifest && _transfer.State == TftpTransferState.Failed && _transfer.ServerErrorCode == (int)TftpErrorCode.FileNotFound)
        {
            // This server has no manifest: its files are fetched and reported unverified.
            _manifest = null;
            StartFile(now);
        }
        else if (_transfer.State == TftpTransferState.Completed)
        {
            FinishFile(now);
        }
        else if (_transfer.State == TftpTransferState.Failed)
        {
            ServerFailed(_transfer.ErrorMessage ?? "failed", now);
        }

        return _transfer == null ? Deadline.None : _transfer.NextDeadline;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        if (_fetchingManifest)
        {
            // The transfer refuses files over its MaximumFileSize, so this copy is bounded.
            System.Array.Copy(buffer, offset, _manifestBuffer, (int)_bytes, count);
        }
        else
        {
            _hash!.Update(buffer, offset, count);
            if (_imagePartition >= 0)
            {
                // Bounded: the transfer is capped at the manifest's size, checked against the half's.
                _imageFlash!.Write((_imagePartition * ImagePartitionSize) + (int)_bytes, buffer, offset, count);
            }
        }

        _bytes += count;
    }

    public void Stop()
    {
        CloseSocket();
        _transfer = null;
        if (State == BootFileStageState.Running)
        {
            State = BootFileStageState.Idle;
        }
    }

    private void StartTransfer(long now)
    {
        CloseSocket();
        _fetchingManifest = false;
        ServerEndpoint server = _servers[_serverIndex];
        _serverAddress = server.Address != 0 ? server.Address : _network.ResolveHost(server.Host);
        _serverPort = server.Port != 0 ? server.Port : _settings.TftpDefaultPort;
        if (_serverAddress == 0)
        {
            _events.Publish(new PhoneEvent(EventNames.TftpFailed).With("file", CurrentFile).With("server", server.Host).With("reason", "cannot resolve"));
            NextServer(now);
            return;
        }

        _manifest = null;
        _manifestServer = -1;
        _fetchingManifest = _settings.ManifestFile.Length > 0;
        if (_fetchingManifest)
        {
            _manifestBuffer = new byte[BootManifest.MaximumLength];
            Fetch(now, BootManifest.MaximumLength);
        }
        else
        {
            StartFile(now);
        }
    }

    private void StartFile(long now)
    {
        _fetchingManifest = false;
        _manifestServer = _serverIndex; // this server's manifest (or its absence) is known now
        _hash = new Sha256();
        _imagePartition = -1;
        BootManifestEntry? entry = _manifest == null ? null : _manifest.Find(CurrentFile);
        if (entry != null && entry.Version.Length > 0 && _installed != null && CurrentFile == _settings.ImageFile)
        {
            InstalledImage? installed = _installed.Read();
            if (installed != null && installed.Version == entry.Version)
            {
                _events.Publish(new PhoneEvent(EventNames.TftpSkipped)
                    .With("file", CurrentFile)
                    .With("version", entry.Version)
                    .With("reason", "installed")
                    .With("server", Ipv4.Format(_serverAddress)));
                NextFile(now);
                return;
            }

            if (entry.Size > ImagePartitionSize)
            {
                ServerFailed("image of " + entry.Size.ToString() + " bytes does not fit the image flash (" + ImagePartitionSize.ToString() + " bytes)", now);
                return;
            }

            _imagePartition = installed == null ? 0 : 1 - installed.Partition;
        }

        Fetch(now, entry != null ? entry.Size : new TftpReadOptions().MaximumFileSize);
    }

    private void Fetch(long now, long maximumSize)
    {
        CloseSocket();
        TftpReadOptions options = new TftpReadOptions();
        options.BlockSize = _settings.TftpBlockSize;
        options.MaximumFileSize = maximumSize;
        _bytes = 0;
        _socket = _network.OpenDatagram(0, false);
        _transfer = new TftpReadClient(CurrentFile, options, this);
        _transfer.Start(now);
        Flush(now);
    }

    private void FinishManifest(long now)
    {
        try
        {
            _manifest = BootManifest.Parse(_manifestBuffer, 0, (int)_bytes);
        }
        catch (ProtocolParseException e)
        {
            ServerFailed("bad manifest: " + e.Message, now);
            return;
        }

        _events.Publish(new PhoneEvent(EventNames.TftpManifest)
            .With("file", _settings.ManifestFile)
            .With("bytes", _bytes)
            .With("entries", _manifest.Count)
            .With("server", Ipv4.Format(_serverAddress)));
        StartFile(now);
    }

    private void ServerFailed(string reason, long now)
    {
        _events.Publish(new PhoneEvent(EventNames.TftpFailed)
            .With("file", CurrentFile)
            .With("server", Ipv4.Format(_serverAddress))
            .With("reason", reason));
        NextServer(now);
    }

    private void Flush(long now)
    {
        if (_transfer == null || _socket == null)
        {
            return;
        }

        while (true)
        {
            TftpDatagram? datagram = _transfer.Poll(now);
            if (datagram == null)
            {
                break;
            }

            int port = datagram.DestinationPort == 0 ? _serverPort : datagram.DestinationPort;
            _socket.Send(datagram.Data, 0, datagram.Length, _serverAddress, port);
        }
    }

    private void FinishFile(long now)
    {
        byte[] digest = _hash!.Finish();
        string sha256 = Ascii.ToHex(digest, 0, digest.Length);
        BootManifestEntry? entry = _manifest == null ? null : _manifest.Find(CurrentFile);
        if (_manifest != null && entry == null)
        {
            ServerFailed("not in the manifest", now);
            return;
        }

        if (entry != null && (entry.Size != _bytes || entry.Sha256 != sha256))
        {
            ServerFailed("verification failed: got " + _bytes.ToString() + " bytes, SHA-256 " + sha256 + "; manifest says " + entry.Size.ToString() + ", " + entry.Sha256, now);
            return;
        }

        bool written = _imagePartition >= 0;
        if (written)
        {
            // The image is whole and verified in the other half: only now is it the installed one.
            _installed!.Write(entry!.Version, _imagePartition);
            _imagePartition = -1;
        }

        _events.Publish(new PhoneEvent(EventNames.TftpDone)
            .With("file", CurrentFile)
            .With("bytes", _bytes)
            .With("sha256", sha256)
            .With("verified", entry != null)
            .With("version", entry != null ? entry.Version : string.Empty)
            .With("written", written)
            .With("server", Ipv4.Format(_serverAddress)));
        NextFile(now);
    }

    private void NextFile(long now)
    {
        _fileIndex++;
        if (_fileIndex >= _files.Length)
        {
            CloseSocket();
            _transfer = null;
            State = BootFileStageState.Completed;
            return;
        }

        // Each file starts again from the first server, as the list is ordered by preference; when
        // that server delivered this file, its manifest is already in hand.
        if (_serverIndex == 0 && _manifestServer == 0)
        {
            StartFile(now);
            return;
        }

        _serverIndex = 0;
        StartTransfer(now);
    }

    private void NextServer(long now)
    {
        _serverIndex++;
        if (_serverIndex >= _servers.Length)
        {
            Fail("every TFTP server failed for " + CurrentFile);
            return;
        }

        StartTransfer(now);
    }

    private void Fail(string reason)
    {
        CloseSocket();
        _transfer = null;
        FailureReason = reason;
        State = BootFileStageState.Failed;
    }

    private void CloseSocket()
    {
        if (_socket != null)
        {
            _socket.Close();
            _socket = null;
        }
    }
}
