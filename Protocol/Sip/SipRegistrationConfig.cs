namespace Protocol.Sip;

/// <summary>
/// What a line registers with: the servers in order of preference, the AoR's domain, the
/// account, the local address for Via and Contact, the requested expiry, and the timing policy.
/// </summary>
public sealed class SipRegistrationConfig
{
    public SipRegistrationConfig(SipServerAddress[] servers, string domain, string user, string localHost, int localPort)
    {
        if (servers == null || servers.Length == 0)
        {
            throw new System.ArgumentException("at least one SIP server is needed");
        }

        Servers = servers;
        Domain = domain;
        User = user;
        AuthName = user;
        Password = string.Empty;
        DisplayName = string.Empty;
        LocalHost = localHost;
        LocalPort = localPort;
        Transport = SipTransport.Udp;
        ExpiresSeconds = 3600;
        Timers = SipTimers.Default();
        BackoffBaseMs = 30000;
        BackoffMaxMs = 1800000;
        RedirectHopLimit = 3;
        UserAgent = "PhoneFirmware";
    }

    public SipServerAddress[] Servers { get; }

    /// <summary>The registrar domain: the Request-URI and the AoR's host.</summary>
    public string Domain { get; }

    public string User { get; }

    /// <summary>The digest user name; the user name unless the files set "sip line1 auth name".</summary>
    public string AuthName { get; set; }

    public string Password { get; set; }

    public string DisplayName { get; set; }

    public string LocalHost { get; }

    public int LocalPort { get; }

    public SipTransport Transport { get; set; }

    public int ExpiresSeconds { get; set; }

    public SipTimers Timers { get; set; }

    /// <summary>The first back-off after every server failed; it doubles per round up to <see cref="BackoffMaxMs"/> (RFC 5626 §4.5).</summary>
    public long BackoffBaseMs { get; set; }

    public long BackoffMaxMs { get; set; }

    /// <summary>How many 3xx redirects one registration attempt follows before it counts as failed.</summary>
    public int RedirectHopLimit { get; set; }

    public string UserAgent { get; set; }

    public string TransportToken => Transport == SipTransport.Udp ? "UDP" : (Transport == SipTransport.Tcp ? "TCP" : "TLS");
}
