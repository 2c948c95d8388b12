using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text.Json;

namespace Controller.Configuration;

/// <summary>Reads and checks a configuration file; every mistake is a <see cref="ConfigException"/> naming the field.</summary>
public static class ConfigLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static ControllerConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException error)
        {
            throw new ConfigException("cannot read " + path + ": " + error.Message);
        }
        catch (UnauthorizedAccessException error)
        {
            throw new ConfigException("cannot read " + path + ": " + error.Message);
        }

        ControllerConfig config = Parse(text, path);
        string baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        config.Database = Path.GetFullPath(Path.Combine(baseDirectory, config.Database));
        config.Tftp.Root = Path.GetFullPath(Path.Combine(baseDirectory, config.Tftp.Root));
        if (config.Tls != null)
        {
            config.Tls.Certificate = Path.GetFullPath(Path.Combine(baseDirectory, config.Tls.Certificate));
            config.Tls.Key = string.IsNullOrEmpty(config.Tls.Key) ? null : Path.GetFullPath(Path.Combine(baseDirectory, config.Tls.Key));
            config.Tls.PeerCa = string.IsNullOrEmpty(config.Tls.PeerCa) ? null : Path.GetFullPath(Path.Combine(baseDirectory, config.Tls.PeerCa));
        }

        return config;
    }

    public static ControllerConfig Parse(string text, string source)
    {
        ControllerConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ControllerConfig>(text, Options);
        }
        catch (JsonException error)
        {
            throw new ConfigException(source + ": " + error.Message);
        }

        if (config == null)
        {
            throw new ConfigException(source + ": empty configuration");
        }

        Validate(config, source);
        return config;
    }

    private static void Validate(ControllerConfig config, string source)
    {
        RequireAddress(config.ListenAddress, source, "listenAddress");
        if (config.AdvertisedAddress != null)
        {
            RequireAddress(config.AdvertisedAddress, source, "advertisedAddress");
        }

        RequirePort(config.Ports.Dhcp, source, "ports.dhcp");
        RequirePort(config.Ports.Tftp, source, "ports.tftp");
        RequirePort(config.Ports.Registration, source, "ports.registration");
        RequirePort(config.Admin.Port, source, "admin.port");
        RequireAddress(config.Admin.BindAddress, source, "admin.bindAddress");
        RequireAddress(config.Dhcp.PoolStart, source, "dhcp.poolStart");
        RequireAddress(config.Dhcp.PoolEnd, source, "dhcp.poolEnd");
        RequireAddress(config.Dhcp.SubnetMask, source, "dhcp.subnetMask");
        RequireAddress(config.Dhcp.Router, source, "dhcp.router");
        foreach (string dns in config.Dhcp.DnsServers)
        {
            RequireAddress(dns, source, "dhcp.dnsServers");
        }

        if (Protocol.Common.Ipv4.TryParse(config.Dhcp.PoolStart, out uint poolStart) && Protocol.Common.Ipv4.TryParse(config.Dhcp.PoolEnd, out uint poolEnd) && poolEnd < poolStart)
        {
            throw new ConfigException(source + ": dhcp.poolEnd " + config.Dhcp.PoolEnd + " comes before dhcp.poolStart " + config.Dhcp.PoolStart);
        }

        foreach (KeyValuePair<string, string> reservation in config.Dhcp.Reservations)
        {
            try
            {
                Forms.FormValidation.Mac(reservation.Key);
            }
            catch (Forms.FormException e)
            {
                throw new ConfigException(source + ": dhcp.reservations: " + e.Message);
            }

            RequireAddress(reservation.Value, source, "dhcp.reservations[" + reservation.Key + "]");
        }

        if (config.Registration.WrongPinLimit < 1 || config.Registration.LockoutSeconds < 0)
        {
            throw new ConfigException(source + ": registration.wrongPinLimit must be at least 1 and registration.lockoutSeconds not negative");
        }

        if (config.Registration.FirstFrameSeconds < 1 || config.Registration.IdleSeconds < 1 || config.Registration.MaxConnectionsPerSource < 1)
        {
            throw new ConfigException(source + ": registration.firstFrameSeconds, registration.idleSeconds and registration.maxConnectionsPerSource must be at least 1");
        }

        if (config.Dhcp.LeaseSeconds < 60)
        {
            throw new ConfigException(source + ": dhcp.leaseSeconds must be at least 60");
        }

        if (config.Dhcp.PendingOfferLimit < 1)
        {
            throw new ConfigException(source + ": dhcp.pendingOfferLimit must be at least 1");
        }

        if (config.Dhcp.Option125Encoding != 0 && config.Dhcp.Option125Encoding != 1 && config.Dhcp.Option125Encoding != 130)
        {
            throw new ConfigException(source + ": dhcp.option125Encoding must be 0, 1 or 130");
        }

        if (config.Dhcp.CallServers.Count > 4)
        {
            throw new ConfigException(source + ": dhcp.callServers takes 1 to 4 servers");
        }

        foreach (string server in config.Dhcp.CallServers)
        {
            try
            {
                Protocol.Dhcp.IpPhoneConfigString.ParseEndpoint(server);
            }
            catch (Protocol.Common.ProtocolParseException e)
            {
                throw new ConfigException(source + ": dhcp.callServers: '" + server + "' is not host[:port] (" + e.Message + ")");
            }
        }

        if (config.Tls != null && config.Tls.Certificate.Length == 0)
        {
            throw new ConfigException(source + ": tls.certificate names the element's certificate (PEM with tls.key, or .pfx/.p12)");
        }

        if (config.Tftp.MaxConcurrentTransfers < 1)
        {
            throw new ConfigException(source + ": tftp.maxConcurrentTransfers must be at least 1");
        }

        if (config.Tftp.MaxQueuedRequests < 0)
        {
            throw new ConfigException(source + ": tftp.maxQueuedRequests must be 0 or more (0: a request past maxConcurrentTransfers is refused at once)");
        }

        if (config.Tftp.MaxTransfersPerSource < 1)
        {
            throw new ConfigException(source + ": tftp.maxTransfersPerSource must be at least 1");
        }
    }

    private static void RequireAddress(string value, string source, string field)
    {
        if (!IPAddress.TryParse(value, out IPAddress? address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ConfigException(source + ": " + field + " must be an IPv4 address, not '" + value + "'");
        }
    }

    private static void RequirePort(int port, string source, string field)
    {
        if (port < 0 || port > 65535)
        {
            throw new ConfigException(source + ": " + field + " must be from 0 (pick a free port) to 65535, not " + port);
        }
    }
}
