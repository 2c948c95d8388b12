using Hal;
using PhoneFirmware.Core.Events;
using Protocol.Common;
using Protocol.Dhcp;
using Protocol.Sip;
using Protocol.Tftp;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// The boot step of the vendor's SIP sets: startup.cfg (aastra.cfg when it is missing), then
/// &lt;model&gt;.cfg, then &lt;MAC&gt;.cfg, by TFTP from the lease's first TFTP server given as an
/// address, each laid over the ones before (<see cref="SipConfigFile.Apply"/>). A missing file
/// or a failed transfer is normal — the set then has fewer settings, not no boot; each file's
/// outcome is published (<c>sip.config.file</c>) and the end with the malformed-line count
/// (<c>sip.config</c>). Each step is a <see cref="SipConfigStep"/>, changed only through Enter.
/// </summary>
public sealed class SipConfigStage : ITftpDataSink
{
    private readonly PhoneSettings _settings;
    private readonly IPhoneEventSink _events;
    private readonly TftpFileFetch _fetch;
    private readonly byte[] _buffer = new byte[SipConfigFile.MaxFileLength];
    private string[] _names = new string[0];
    private int _index;
    private bool _legacyTried;
    private uint _server;
    private int _port;
    private int _length;
    private int _fetched;

    public SipConfigStage(INetworkInterface network, PhoneSettings settings, IPhoneEventSink events)
    {
        _settings = settings;
        _events = events;
        _fetch = new TftpFileFetch(network);
    }

    public SipConfigStep Step { get; private set; } = SipConfigStep.Idle;

    /// <summary>The files merged so far (complete once <see cref="Step"/> is Completed).</summary>
    public SipConfigFile Files { get; private set; } = new SipConfigFile();

    public string CurrentFile => _index < _names.Length ? _names[_index] : string.Empty;

    /// <summary>Fetches the files for <paramref name="mac"/> from the first of <paramref name="tftpServers"/> with an address.</summary>
    public void Start(long now, ServerEndpoint[] tftpServers, byte[] mac)
    {
        Files = new SipConfigFile();
        _names = SipConfigFileNames.InOrder(_settings.SipModel, mac);
        _index = 0;
        _legacyTried = false;
        _fetched = 0;
        _server = 0;
        for (int i = 0; i < tftpServers.Length && _server == 0; i++)
        {
            _server = tftpServers[i].Address;
            _port = tftpServers[i].Port != 0 ? tftpServers[i].Port : _settings.TftpDefaultPort;
        }

        if (_server == 0)
        {
            _index = _names.Length;
            Finish(now, "no TFTP server address in the DHCP options");
            return;
        }

        StartFile(now);
    }

    /// <summary>Advances the transfer; returns when it next needs a step.</summary>
    public long Advance(long now)
    {
        if (Step != SipConfigStep.Fetching)
        {
            return Deadline.None;
        }

        _fetch.Step(now);
        TftpTransferState transfer = _fetch.State;
        if (transfer == TftpTransferState.Completed)
        {
            OnFile(now);
        }
        else if (transfer == TftpTransferState.Failed)
        {
            bool missing = _fetch.ServerErrorCode == (int)TftpErrorCode.FileNotFound;
            Publish(missing ? "missing" : "failed", missing ? string.Empty : _fetch.ErrorMessage, 0, 0);
            if (missing && _index == 0 && !_legacyTried)
            {
                // Firmware before 4.0 called startup.cfg aastra.cfg: a server may still have only that.
                _legacyTried = true;
                _names[0] = SipConfigFileNames.LegacyStartup;
                StartFile(now);
            }
            else
            {
                NextFile(now);
            }
        }

        return Step == SipConfigStep.Fetching ? _fetch.NextDeadline : Deadline.None;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        // The transfer refuses files over MaximumFileSize (the buffer's length), so this copy is bounded.
        System.Array.Copy(buffer, offset, _buffer, _length, count);
        _length += count;
    }

    public void Stop()
    {
        if (Step == SipConfigStep.Fetching)
        {
            Enter(SipConfigStep.Idle);
        }
    }

    private void OnFile(long now)
    {
        SipConfigFile file = SipConfigFile.Parse(_buffer, 0, _length);
        Files.Apply(file);
        _fetched++;
        Publish("fetched", string.Empty, file.Count, file.MalformedLines);
        NextFile(now);
    }

    private void StartFile(long now)
    {
        TftpReadOptions options = new TftpReadOptions();
        options.BlockSize = _settings.TftpBlockSize;
        options.MaximumFileSize = _buffer.Length;
        _length = 0;
        Enter(SipConfigStep.Fetching);
        _fetch.Start(now, _server, _port, CurrentFile, options, this);
    }

    private void NextFile(long now)
    {
        _index++;
        if (_index < _names.Length)
        {
            StartFile(now);
            return;
        }

        Finish(now, string.Empty);
    }

    private void Finish(long now, string note)
    {
        Enter(SipConfigStep.Completed);
        PhoneEvent done = new PhoneEvent(EventNames.SipConfig)
            .With("files", _fetched)
            .With("keys", Files.Count)
            .With("malformedLines", Files.MalformedLines)
            .With("server", Ipv4.Format(_server));
        _events.Publish(note.Length > 0 ? done.With("note", note) : done);
    }

    private void Publish(string outcome, string reason, int keys, int malformed)
    {
        PhoneEvent e = new PhoneEvent(EventNames.SipConfigFile)
            .With("file", CurrentFile)
            .With("outcome", outcome)
            .With("server", Ipv4.Format(_server));
        if (outcome == "fetched")
        {
            e.With("bytes", _length).With("keys", keys).With("malformedLines", malformed);
        }
        else if (reason.Length > 0)
        {
            e.With("reason", reason);
        }

        _events.Publish(e);
    }

    /// <summary>The one place the step changes; only Fetching holds a transfer.</summary>
    private void Enter(SipConfigStep next)
    {
        Step = next;
        if (next != SipConfigStep.Fetching)
        {
            _fetch.Stop();
        }
    }
}
