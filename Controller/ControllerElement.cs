using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using Controller.Admin;
using Controller.Cluster;
using Controller.Configuration;
using Controller.Database;
using Controller.Dhcp;
using Controller.Events;
using Controller.Forms;
using Controller.Registration;
using Controller.Tftp;
using Controller.Tls;
using Controller.Web;
using Protocol.Dhcp;

namespace Controller;

/// <summary>
/// One running cluster element: its database and forms, and the DHCP, TFTP and registration
/// servers that phones talk to. Started by `controller serve` and `controller demo`.
/// </summary>
public sealed class ControllerElement : IAsyncDisposable
{
    private readonly ControllerConfig _config;
    private readonly object _databaseGate = new();
    private readonly ElementDatabase _database;
    private readonly RegistrationTls? _tls;
    private RegistrationServer? _registration;
    private DhcpServerHost? _dhcp;
    private TftpServer? _tftp;
    private RdnSynchronizer? _rdn;
    private AdminApi? _admin;

    public ControllerElement(ControllerConfig config)
    {
        _config = config;
        _tls = config.Tls != null ? RegistrationTls.Load(config.Tls) : null; // a bad certificate stops us before anything opens
        _database = ElementDatabase.Open(config.Database);
        Forms = new ElementForms(_database);
        if (_database.WasCreated)
        {
            Seed();
        }
    }

    public ElementForms Forms { get; }

    public RegistrationPolicy Policy => new()
    {
        WrongPinLimit = _config.Registration.WrongPinLimit,
        LockoutMilliseconds = _config.Registration.LockoutSeconds * 1000L,
        NoPinMemorySetTypes = _config.Registration.NoPinMemorySetTypes.ToArray(),
        AllowReturnToPrimary = _config.Registration.AllowReturnToPrimary,
    };

    public object DatabaseGate => _databaseGate;

    public string Name => _config.Element.Name;

    public int RegistrationPort => _registration?.Port ?? 0;

    public int DhcpPort => _dhcp?.Port ?? 0;

    /// <summary>The DHCP server, once started with DHCP enabled.</summary>
    public DhcpServerHost? Dhcp => _dhcp;

    public int TftpPort => _tftp?.Port ?? 0;

    public RegistrationServer? Registration => _registration;

    /// <summary>True when the registration port speaks TLS.</summary>
    public bool UsesTls => _tls != null;

    /// <summary>Form changes as an administrator makes them (validated, with resets and RDN sync).</summary>
    public ElementAdmin? Admin { get; private set; }

    /// <summary>The admin API's base URL, once started.</summary>
    public Uri? AdminAddress => _admin?.Address;

    /// <summary>The admin API's bearer token, also the web pages' sign-in token; null until started.</summary>
    public string? AdminToken { get; private set; }

    /// <summary>Where `controller admin` finds the API's URL and token.</summary>
    public string AdminEndpointFile => _config.Database + ".admin.json";

    public RdnSynchronizer? RdnSynchronizer => _rdn;

    /// <summary>The event log the web admin shows and pushes (PIN prompts, redirects, resets, leases, transfers...).</summary>
    public ControllerEventFeed Events { get; } = new();

    /// <summary>The registrations view: who is registered here, since when, how.</summary>
    public RegistrationBoard Registrations { get; } = new();

    /// <summary>What the web admin serves besides the forms (the demo's phones, in-process peers); set before <see cref="StartAsync"/>.</summary>
    public AdminSiteExtras SiteExtras { get; set; } = new();

    /// <summary>The Option 125 string this element hands out, with the ports actually bound.</summary>
    public string PhoneConfigString { get; private set; } = string.Empty;

    public IPAddress AdvertisedAddress => IPAddress.Parse(_config.AdvertisedAddress ?? _config.ListenAddress);

    public async Task StartAsync()
    {
        Start();
        if (_config.Admin.Enabled)
        {
            IPAddress bind = AdminBind.Resolve(_config.Admin.BindAddress, Console.Error);
            AdminToken = AdminApi.NewToken();
            _admin = new AdminApi(Admin!, bind, _config.Admin.Port, AdminToken, new AdminSite(this));
            await _admin.StartAsync().ConfigureAwait(false);
            AdminEndpoint.Write(AdminEndpointFile, _admin.Address!, _admin.Token);
        }
    }

    public void Start()
    {
        IPAddress listen = IPAddress.Parse(_config.ListenAddress);
        RegistrationConfig limits = _config.Registration;
        _registration = new RegistrationServer(Forms, _databaseGate, listen, _config.Ports.Registration, Policy, _tls, new ConnectionLimits(TimeSpan.FromSeconds(limits.FirstFrameSeconds), TimeSpan.FromSeconds(limits.IdleSeconds), limits.MaxConnectionsPerSource));
        _registration.Start();
        lock (_databaseGate)
        {
            Forms.ClusterDirectory.SetLocalEndpoint(_config.AdvertisedAddress ?? _config.ListenAddress, RegistrationPort);
        }

        _rdn = new RdnSynchronizer(Forms, _databaseGate, _tls?.PeerTrust);
        RdnSynchronizer rdn = _rdn;
        _registration.Announce += update => rdn.Announce(update.Dn, update.Deleted); // DNs taken by Automatic DN Selection
        Admin = new ElementAdmin(Forms, _databaseGate, _registration, _rdn);
        _rdn.AnnounceAll();
        if (_config.Tftp.Enabled)
        {
            _tftp = new TftpServer(new TftpServerOptions
            {
                RootDirectory = _config.Tftp.Root,
                BindAddress = listen,
                Port = _config.Ports.Tftp,
                MaxConcurrentTransfers = _config.Tftp.MaxConcurrentTransfers,
                MaxQueuedRequests = _config.Tftp.MaxQueuedRequests,
                MaxTransfersPerSource = _config.Tftp.MaxTransfersPerSource,
                VirtualFiles = _config.Tftp.Manifest && System.IO.Directory.Exists(_config.Tftp.Root)
                    ? new Dictionary<string, byte[]> { [BootManifestBuilder.Name] = BootManifestBuilder.Build(_config.Tftp.Root) }
                    : new Dictionary<string, byte[]>(),
            });
            _tftp.Start();
        }

        SqliteLeaseStore leases = new(_database, _databaseGate);
        ElementEventSources.Attach(Events, Registrations, _registration, leases, _tftp);
        PhoneConfigString = BuildPhoneConfigString();
        if (_config.Dhcp.Enabled)
        {
            _dhcp = new DhcpServerHost(_config, PhoneConfigString, leases, listen, _config.Ports.Dhcp);
            _dhcp.Start();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin != null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
            AdminEndpoint.Delete(AdminEndpointFile);
        }

        _rdn?.Dispose();
        if (_dhcp != null)
        {
            await _dhcp.DisposeAsync().ConfigureAwait(false);
        }

        _tftp?.Dispose();
        if (_registration != null)
        {
            await _registration.DisposeAsync().ConfigureAwait(false);
        }

        _database.Dispose();
        _tls?.Dispose();
    }

    // The Mitel string: id first, then the TFTP server and 1-4 call servers with the bound ports.
    private string BuildPhoneConfigString()
    {
        string self = AdvertisedAddress.ToString();
        IpPhoneConfig phone = new();
        if (_tftp != null)
        {
            phone.TftpServers = new[] { IpPhoneConfigString.Endpoint(self, TftpPort) };
        }

        phone.CallServers = _config.Dhcp.CallServers.Count > 0
            ? _config.Dhcp.CallServers.ConvertAll(IpPhoneConfigString.ParseEndpoint).ToArray() // checked by ConfigLoader
            : new[] { IpPhoneConfigString.Endpoint(self, RegistrationPort) };
        return IpPhoneConfigString.Format(phone);
    }

    private void Seed()
    {
        Forms.SystemOptions.RegistrationAccessCode = _config.SystemOptions.RegistrationAccessCode;
        Forms.SystemOptions.ReplacementAccessCode = _config.SystemOptions.ReplacementAccessCode;
        Forms.ClusterDirectory.AddElement(_config.Element.CeidIndex, _config.Element.CeidDigits, true, _config.AdvertisedAddress ?? _config.ListenAddress, _config.Ports.Registration, _config.Element.Name);
        foreach (DirectoryEntryConfig entry in _config.TelephoneDirectory)
        {
            Forms.TelephoneDirectory.Add(entry.Number, entry.Name);
        }

        foreach (ClusterElementConfig element in _config.ClusterElements)
        {
            Forms.ClusterDirectory.AddElement(element.CeidIndex, element.CeidDigits, false, element.Address, element.RegistrationPort, element.Comment);
        }

        foreach (RemoteDirectoryNumberConfig remote in _config.RemoteDirectoryNumbers)
        {
            Forms.ClusterDirectory.AddRemoteDirectoryNumber(remote.Number, remote.CeidIndex, remote.SecondaryCeidIndex);
        }

        Forms.SystemOptions.AutomaticDnRange = _config.Registration.AutomaticDnRange;
        foreach (SetReservationConfig set in _config.MultilineIpSets)
        {
            Forms.MultilineIpSets.Reserve(set.Mac, set.Dn, set.PinMemory);
        }
    }
}
