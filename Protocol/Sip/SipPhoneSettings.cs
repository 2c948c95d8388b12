using Protocol.Common;

namespace Protocol.Sip;

/// <summary>
/// The settings a SIP line takes from the merged configuration files: registrar, proxy and
/// outbound proxy with their ports, the transport code (1 UDP, 2 TCP, 4 TLS), and line 1's
/// account. A value that cannot be used (a port out of range, an unknown transport) keeps the
/// default and is counted in <see cref="InvalidValues"/>.
/// </summary>
public sealed class SipPhoneSettings
{
    public const int DefaultPort = 5060;
    public const int DefaultRegistrationPeriod = 3600;

    private SipPhoneSettings()
    {
        RegistrarHost = string.Empty;
        ProxyHost = string.Empty;
        OutboundProxy = string.Empty;
        User = string.Empty;
        AuthName = string.Empty;
        Password = string.Empty;
        DisplayName = string.Empty;
        DownloadProtocol = "TFTP";
        RegistrarPort = DefaultPort;
        ProxyPort = DefaultPort;
        Transport = SipTransport.Udp;
        RegistrationPeriod = DefaultRegistrationPeriod;
    }

    public string RegistrarHost { get; private set; }

    public int RegistrarPort { get; private set; }

    public string ProxyHost { get; private set; }

    public int ProxyPort { get; private set; }

    public string OutboundProxy { get; private set; }

    public SipTransport Transport { get; private set; }

    public string User { get; private set; }

    /// <summary>The digest user name; the user name when the files leave it out.</summary>
    public string AuthName { get; private set; }

    public string Password { get; private set; }

    public string DisplayName { get; private set; }

    public int RegistrationPeriod { get; private set; }

    public string DownloadProtocol { get; private set; }

    public int InvalidValues { get; private set; }

    /// <summary>A line can register without asking: it has a user name and a password.</summary>
    public bool HasCredentials => User.Length > 0 && Password.Length > 0;

    public static SipPhoneSettings From(SipConfigFile files)
    {
        SipPhoneSettings settings = new SipPhoneSettings();
        settings.RegistrarHost = Text(files, "sip registrar ip");
        settings.RegistrarPort = settings.Port(files, "sip registrar port");
        settings.ProxyHost = Text(files, "sip proxy ip");
        settings.ProxyPort = settings.Port(files, "sip proxy port");
        settings.OutboundProxy = Text(files, "sip outbound proxy");
        settings.User = Text(files, "sip line1 user name");
        settings.AuthName = Text(files, "sip line1 auth name");
        if (settings.AuthName.Length == 0)
        {
            settings.AuthName = settings.User;
        }

        settings.Password = Text(files, "sip line1 password");
        settings.DisplayName = Text(files, "sip line1 display name");
        string download = Text(files, "download protocol");
        if (download.Length > 0)
        {
            settings.DownloadProtocol = SipText.ToUpper(download);
        }

        string transport = Text(files, "sip transport protocol");
        if (transport == "1" || transport == "2" || transport == "4")
        {
            settings.Transport = (SipTransport)(transport[0] - '0');
        }
        else if (transport.Length > 0)
        {
            settings.InvalidValues++;
        }

        string period = Text(files, "sip line1 registration period");
        int seconds = Ascii.ParseDecimal(period, 0, period.Length);
        if (seconds > 0)
        {
            settings.RegistrationPeriod = seconds;
        }
        else if (period.Length > 0)
        {
            settings.InvalidValues++;
        }

        return settings;
    }

    /// <summary>
    /// The registration config: requests go to the proxy when one is set (else the registrar,
    /// else <paramref name="fallbackHost"/> — option 125's call_srv); the AoR's domain is the registrar.
    /// </summary>
    public SipRegistrationConfig ToRegistrationConfig(string localHost, int localPort, string fallbackHost)
    {
        string registrar = RegistrarHost.Length > 0 ? RegistrarHost : fallbackHost;
        if (registrar.Length == 0)
        {
            throw new System.ArgumentException("no registrar in the files and no call server to fall back to");
        }

        SipServerAddress server = ProxyHost.Length > 0 ? new SipServerAddress(ProxyHost, ProxyPort) : new SipServerAddress(registrar, RegistrarPort);
        SipRegistrationConfig config = new SipRegistrationConfig(new SipServerAddress[] { server }, registrar, User, localHost, localPort);
        config.AuthName = AuthName;
        config.Password = Password;
        config.DisplayName = DisplayName;
        config.Transport = Transport;
        config.ExpiresSeconds = RegistrationPeriod;
        return config;
    }

    private static string Text(SipConfigFile files, string key)
    {
        string? value = files.Get(key);
        return value == null ? string.Empty : value;
    }

    private int Port(SipConfigFile files, string key)
    {
        string text = Text(files, key);
        int port = Ascii.ParseDecimal(text, 0, text.Length);
        if (port >= 1 && port <= 65535)
        {
            return port;
        }

        if (text.Length > 0)
        {
            InvalidValues++;
        }

        return DefaultPort;
    }
}
