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
/// beyond the transfer's own block. A server named by FQDN is looked up first at the lease's DNS
/// servers (<see cref="HostLookup"/>, never blocking). When the server has a manifest
/// (<see cref="BootManifest"/>), it is fetched first and each file must match its size and
/// SHA-256; a server without one (TFTP "file not found") gets its files fetched and reported
/// unverified. The image file (<see cref="PhoneSettings.ImageFile"/>), on a phone with an image
/// flash, is written there (<see cref="ImageInstaller"/>) only when the manifest gives it a
/// version other than the installed one; with the installed version it is not fetched at all
/// (<c>tftp.skipped</c>). Each step is a <see cref="BootFileStep"/>, changed only through Enter.
/// </summary>
public sealed class BootFileStage : ITftpDataSink
{
    private readonly PhoneSettings _settings;
    private readonly IPhoneEventSink _events;
    private readonly HostLookup _lookup;
    private readonly TftpFileFetch _fetch;
    private readonly ImageInstaller? _image;
    private ServerEndpoint[] _servers = new ServerEndpoint[0];
    private uint[] _dnsServers = new uint[0];
    private string[] _files = new string[0];
    private int _fileIndex;
    private int _serverIndex;
    private uint _serverAddress;
    private Sha256? _hash;
    private long _bytes;
    private static readonly byte[] NoBytes = new byte[0];
    private byte[] _manifestBuffer = NoBytes; // only while the manifest is fetched
    private BootManifest? _manifest; // null: this server has none, its files go unverified
    private bool _waitReported; // tftp.waiting goes out once per transfer

    public BootFileStage(INetworkInterface network, PhoneSettings settings, IPhoneEventSink events, IRandomSource random)
    {
        _settings = settings;
        _events = events;
        _lookup = new HostLookup(network, random);
        _fetch = new TftpFileFetch(network);
    }

    /// <summary>A stage that installs the image file into <paramref name="imageFlash"/> (two halves), recording it in <paramref name="installed"/>.</summary>
    public BootFileStage(INetworkInterface network, PhoneSettings settings, IPhoneEventSink events, IRandomSource random, ImageVersionStore installed, IFlashRegion imageFlash)
        : this(network, settings, events, random)
    {
        _image = new ImageInstaller(installed, imageFlash);
    }

    /// <summary>Bytes in one half of the image flash: the largest image that can be installed.</summary>
    public int ImagePartitionSize => _image == null ? 0 : _image.PartitionSize;

    public BootFileStep CurrentStep { get; private set; } = BootFileStep.Idle;

    /// <summary>The step seen from outside: Running covers looking up and fetching.</summary>
    public BootFileStageState State
    {
        get
        {
            switch (CurrentStep)
            {
                case BootFileStep.Idle:
                    return BootFileStageState.Idle;
                case BootFileStep.Completed:
                    return BootFileStageState.Completed;
                case BootFileStep.Failed:
                    return BootFileStageState.Failed;
                default:
                    return BootFileStageState.Running;
            }
        }
    }

    /// <summary>Percent of the current file, or -1 while its size is unknown.</summary>
    public int ProgressPercent => IsFetching(CurrentStep) ? _fetch.ProgressPercent : -1;

    /// <summary>The file being fetched: the manifest while it is fetched.</summary>
    public string CurrentFile => CurrentStep == BootFileStep.FetchingManifest ? _settings.ManifestFile : FileName();

    public string? FailureReason { get; private set; }

    /// <summary>The current file's server has not answered its request yet, or answered "busy": the phone waits for it.</summary>
    public bool WaitingForServer => IsFetching(CurrentStep) && _fetch.WaitingForServer;

    /// <summary>Fetches <paramref name="files"/> from <paramref name="servers"/>; names among them are looked up at <paramref name="dnsServers"/> (the lease's option 6).</summary>
    public void Start(long now, ServerEndpoint[] servers, string[] files, uint[] dnsServers)
    {
        _servers = servers;
        _files = files;
        _dnsServers = dnsServers;
        _fileIndex = 0;
        _serverIndex = 0;
        FailureReason = null;
        if (files.Length == 0)
        {
            Enter(BootFileStep.Completed, now);
            return;
        }

        if (servers.Length == 0)
        {
            Fail("no TFTP server in the DHCP options", now);
            return;
        }

        StartServer(now);
    }

    /// <summary>Advances the lookup or the transfer; returns when it next needs a step ("now" right after a lookup starts).</summary>
    public long Step(long now)
    {
        BootFileStep before = CurrentStep;
        long lookupDeadline = Deadline.None;
        if (before == BootFileStep.Resolving)
        {
            lookupDeadline = _lookup.Step(now);
            if (_lookup.State == HostLookupState.Resolved)
            {
                _serverAddress = _lookup.Address;
                StartManifest(now);
            }
            else if (_lookup.State == HostLookupState.Failed)
            {
                _events.Publish(new PhoneEvent(EventNames.TftpFailed)
                    .With("file", CurrentFile)
                    .With("server", _servers[_serverIndex].Host)
                    .With("reason", "cannot resolve: " + _lookup.FailureReason));
                NextServer(now);
            }
        }
        else if (IsFetching(before))
        {
            _fetch.Step(now);
            ReportWaiting();
            OnTransfer(now);
        }

        if (CurrentStep == BootFileStep.Resolving)
        {
            return before == BootFileStep.Resolving ? lookupDeadline : now; // a new lookup reports its deadline at its first step
        }

        return IsFetching(CurrentStep) ? _fetch.NextDeadline : Deadline.None;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        if (CurrentStep == BootFileStep.FetchingManifest)
        {
            // The transfer refuses files over its MaximumFileSize, so this copy is bounded.
            System.Array.Copy(buffer, offset, _manifestBuffer, (int)_bytes, count);
        }
        else
        {
            _hash!.Update(buffer, offset, count);
            if (CurrentStep == BootFileStep.FetchingImage)
            {
                // Bounded: the transfer is capped at the manifest's size, checked against the half's.
                _image!.Write((int)_bytes, buffer, offset, count);
            }
        }

        _bytes += count;
    }

    /// <summary>Abandons a lookup or transfer under way; a stage that completed or failed keeps its outcome.</summary>
    public void Stop()
    {
        if (State == BootFileStageState.Running)
        {
            Enter(BootFileStep.Idle, 0);
        }
    }

    private void OnTransfer(long now)
    {
        TftpTransferState transfer = _fetch.State;
        if (CurrentStep == BootFileStep.FetchingManifest && transfer == TftpTransferState.Completed)
        {
            FinishManifest(now);
        }
        else if (CurrentStep == BootFileStep.FetchingManifest && transfer == TftpTransferState.Failed && _fetch.ServerErrorCode == (int)TftpErrorCode.FileNotFound)
        {
            // This server has no manifest: its files are fetched and reported unverified.
            _manifest = null;
            StartFile(now);
        }
        else if (transfer == TftpTransferState.Completed)
        {
            FinishFile(now);
        }
        else if (transfer == TftpTransferState.Failed)
        {
            ServerFailed(CurrentFile, _fetch.ErrorMessage, now);
        }
    }

    // A new server: its address (looked up when it is a name), then its manifest, then the current file.
    private void StartServer(long now)
    {
        ServerEndpoint server = _servers[_serverIndex];
        _serverAddress = server.Address;
        if (_serverAddress != 0)
        {
            StartManifest(now);
            return;
        }

        Enter(BootFileStep.Resolving, now);
        _lookup.Start(server.Host, _dnsServers, now);
    }

    private void StartManifest(long now)
    {
        _manifest = null;
        if (_settings.ManifestFile.Length == 0)
        {
            StartFile(now);
            return;
        }

        _manifestBuffer = new byte[BootManifest.MaximumLength];
        Enter(BootFileStep.FetchingManifest, now);
        Fetch(now, BootManifest.MaximumLength);
    }

    private void StartFile(long now)
    {
        _hash = new Sha256();
        string file = FileName();
        BootManifestEntry? entry = _manifest == null ? null : _manifest.Find(file);
        if (entry == null || entry.Version.Length == 0 || _image == null || file != _settings.ImageFile)
        {
            Enter(BootFileStep.FetchingFile, now);
            Fetch(now, entry != null ? entry.Size : new TftpReadOptions().MaximumFileSize);
            return;
        }

        if (_image.IsInstalled(entry.Version))
        {
            _events.Publish(new PhoneEvent(EventNames.TftpSkipped)
                .With("file", file)
                .With("version", entry.Version)
                .With("reason", "installed")
                .With("server", Ipv4.Format(_serverAddress)));
            NextFile(now);
            return;
        }

        if (entry.Size > _image.PartitionSize)
        {
            ServerFailed(file, "image of " + entry.Size.ToString() + " bytes does not fit the image flash (" + _image.PartitionSize.ToString() + " bytes)", now);
            return;
        }

        _image.Begin();
        Enter(BootFileStep.FetchingImage, now);
        Fetch(now, entry.Size);
    }

    private void Fetch(long now, long maximumSize)
    {
        TftpReadOptions options = new TftpReadOptions();
        options.BlockSize = _settings.TftpBlockSize;
        options.WindowSize = _settings.TftpWindowSize;
        options.RequestPatienceMs = _settings.TftpServerPatienceMilliseconds;
        options.MaximumFileSize = maximumSize;
        _bytes = 0;
        _waitReported = false;
        int port = _servers[_serverIndex].Port != 0 ? _servers[_serverIndex].Port : _settings.TftpDefaultPort;
        _fetch.Start(now, _serverAddress, port, CurrentFile, options, this);
    }

    // Once per transfer, when the server first leaves the request unanswered or says it is busy.
    private void ReportWaiting()
    {
        if (_waitReported || !_fetch.WaitingForServer)
        {
            return;
        }

        _waitReported = true;
        _events.Publish(new PhoneEvent(EventNames.TftpWaiting)
            .With("file", CurrentFile)
            .With("server", Ipv4.Format(_serverAddress))
            .With("reason", _fetch.WaitReason));
    }

    private void FinishManifest(long now)
    {
        try
        {
            _manifest = BootManifest.Parse(_manifestBuffer, 0, (int)_bytes);
        }
        catch (ProtocolParseException e)
        {
            ServerFailed(CurrentFile, "bad manifest: " + e.Message, now);
            return;
        }
        finally
        {
            _manifestBuffer = NoBytes; // parsed or refused, the bytes are not needed again
        }

        _events.Publish(new PhoneEvent(EventNames.TftpManifest)
            .With("file", _settings.ManifestFile)
            .With("bytes", _bytes)
            .With("entries", _manifest.Count)
            .With("server", Ipv4.Format(_serverAddress)));
        StartFile(now);
    }

    private void FinishFile(long now)
    {
        byte[] digest = _hash!.Finish();
        string sha256 = Ascii.ToHex(digest, 0, digest.Length);
        string file = FileName();
        BootManifestEntry? entry = _manifest == null ? null : _manifest.Find(file);
        if (_manifest != null && entry == null)
        {
            ServerFailed(file, "not in the manifest", now);
            return;
        }

        if (entry != null && (entry.Size != _bytes || entry.Sha256 != sha256))
        {
            ServerFailed(file, "verification failed: got " + _bytes.ToString() + " bytes, SHA-256 " + sha256 + "; manifest says " + entry.Size.ToString() + ", " + entry.Sha256, now);
            return;
        }

        bool written = CurrentStep == BootFileStep.FetchingImage;
        if (written)
        {
            // The image is whole and verified in the other half: only now is it the installed one.
            _image!.Commit(entry!.Version);
        }

        _events.Publish(new PhoneEvent(EventNames.TftpDone)
            .With("file", file)
            .With("bytes", _bytes)
            .With("sha256", sha256)
            .With("verified", entry != null)
            .With("version", entry != null ? entry.Version : string.Empty)
            .With("written", written)
            .With("server", Ipv4.Format(_serverAddress)));
        NextFile(now);
    }

    private void ServerFailed(string file, string reason, long now)
    {
        _events.Publish(new PhoneEvent(EventNames.TftpFailed)
            .With("file", file)
            .With("server", Ipv4.Format(_serverAddress))
            .With("reason", reason));
        NextServer(now);
    }

    private void NextFile(long now)
    {
        _fileIndex++;
        if (_fileIndex >= _files.Length)
        {
            Enter(BootFileStep.Completed, now);
            return;
        }

        // Each file starts again from the first server, as the list is ordered by preference; when
        // the first server delivered the last file, its address and manifest are already in hand.
        if (_serverIndex == 0)
        {
            StartFile(now);
            return;
        }

        _serverIndex = 0;
        StartServer(now);
    }

    private void NextServer(long now)
    {
        _serverIndex++;
        if (_serverIndex >= _servers.Length)
        {
            Fail("every TFTP server failed for " + FileName(), now);
            return;
        }

        StartServer(now);
    }

    private void Fail(string reason, long now)
    {
        FailureReason = reason;
        Enter(BootFileStep.Failed, now);
    }

    private string FileName()
    {
        return _fileIndex < _files.Length ? _files[_fileIndex] : string.Empty;
    }

    private static bool IsFetching(BootFileStep step)
    {
        return step == BootFileStep.FetchingManifest || step == BootFileStep.FetchingFile || step == BootFileStep.FetchingImage;
    }

    /// <summary>The one place the step changes. Each step holds only its own I/O: the lookup's socket or the transfer's.</summary>
    private void Enter(BootFileStep next, long now)
    {
        CurrentStep = next;
        if (next != BootFileStep.Resolving)
        {
            _lookup.Cancel();
        }

        if (!IsFetching(next))
        {
            _fetch.Stop(); // a fetching step's Fetch starts its own transfer, replacing the last
        }

        if (next == BootFileStep.Completed || next == BootFileStep.Failed || next == BootFileStep.Idle)
        {
            // Done with the files: a registered phone keeps no manifest, buffer or hash of them.
            _manifestBuffer = NoBytes;
            _manifest = null;
            _hash = null;
        }
    }
}
