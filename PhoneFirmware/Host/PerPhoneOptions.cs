using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hal.Host;
using PhoneFirmware.Core;
using Protocol.Common;
using Protocol.Dhcp;

namespace PhoneFirmware.Host;

/// <summary>
/// The options that set up one phone, shared by `phone` and `phone fleet` so both accept the same
/// spellings with the same errors: DHCP or static addressing, boot files, the call-control
/// protocol and its SIP settings, TLS, the seed. Each program parses its own options and hands
/// the rest to <see cref="Accept"/>; <see cref="Check"/> then refuses what contradicts itself.
/// </summary>
public sealed class PerPhoneOptions
{
    /// <summary>call_srv names 1 to 4 call servers; --call-server as many.</summary>
    public const int MaxCallServers = 4;

    /// <summary>The usage lines of these options, for both programs' --help.</summary>
    public const string Usage = """
          --boot-file NAME          a boot file to fetch by TFTP, repeatable (default boot.img; in SIP
                                    mode none: the configuration files only)
          --no-boot-files           skip the TFTP stage: go from DHCP straight to the call server
          --no-dhcp                 static addressing: no DHCP; the servers come from the options below
                                    (docs/dhcp.md, "Static addressing")
          --address ADDR[/PREFIX]   with --no-dhcp: the phone's own address (default: --bind's; prefix 24)
          --gateway ADDR            with --no-dhcp: the default router (default: none)
          --tftp-server ADDR[:PORT] with --no-dhcp: the TFTP server for boot and configuration files
                                    (sw_tftp; port 69 by default)
          --call-server ADDR[:PORT] with --no-dhcp: a call server, repeatable up to 4 in order (call_srv;
                                    in SIP mode the registrar when the files name none)
          --seed N                  seed for transaction ids and jitter (default: random)
          --protocol bench|sip      call control: our bench protocol (default) or SIP (docs/sip.md):
                                    after DHCP the phone fetches startup.cfg, <model>.cfg and
                                    <MAC>.cfg by TFTP and registers with their registrar
          --transport udp|tcp|tls   with --protocol sip: the SIP transport (default: the files'
                                    "sip transport protocol", else udp); tls takes --ca as --tls does
          --model NAME              with --protocol sip: the model for <model>.cfg (default 6867i)
          --sip-port PORT           with --protocol sip: the line's local port (default 5060; 0 = any)
          --tls                     register over TLS (the controller's `tls` listener); the
                                    certificate must chain to the system's roots or to --ca and
                                    name the address dialled
          --ca FILE                 with --tls: also trust this CA certificate (PEM or DER), e.g. a lab CA
          --tls-insecure            with --tls: accept ANY certificate (encrypts, does not
                                    authenticate the controller; lab use only)

        """;

    private static readonly string[] SipOnly = { "--transport", "--model", "--sip-port" };
    private static readonly string[] StaticOnly = { "--address", "--gateway", "--tftp-server", "--call-server" };
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    /// <param name="defaultDhcpServer">Where DHCP goes without --dhcp-server (the phone broadcasts; the fleet's loopback server).</param>
    public PerPhoneOptions(uint defaultDhcpServer)
    {
        DhcpServerAddress = defaultDhcpServer;
    }

    public uint DhcpServerAddress { get; private set; }

    public int DhcpServerPort { get; private set; } = 67;

    public bool DhcpServerGiven => _given.Contains("--dhcp-server");

    public IPAddress? BindAddress { get; private set; }

    public List<string> BootFiles { get; } = new();

    public bool NoBootFiles { get; private set; }

    public int? Seed { get; private set; }

    public bool NoDhcp { get; private set; }

    /// <summary>--address: the static address, 0 when not given.</summary>
    public uint StaticAddress { get; private set; }

    public int StaticPrefixLength { get; private set; } = 24;

    public uint Gateway { get; private set; }

    public ServerEndpoint? TftpServer { get; private set; }

    public List<ServerEndpoint> CallServers { get; } = new();

    public bool Tls { get; private set; }

    public string? CaPath { get; private set; }

    public bool TlsInsecure { get; private set; }

    public CallControl CallControlProtocol { get; private set; } = CallControl.Bench;

    /// <summary>--transport: 1 UDP, 2 TCP, 4 TLS (the vendor's codes), 0 for what the files say.</summary>
    public int SipTransportCode { get; private set; }

    public string? Model { get; private set; }

    public int SipPort { get; private set; } = 5060;

    /// <summary>Whether <paramref name="flag"/> was on the command line (for the programs' own checks).</summary>
    public bool Given(string flag)
    {
        return _given.Contains(flag);
    }

    /// <summary>Takes the option at <paramref name="i"/> (and its value) if it is one of these; false for any other.</summary>
    public bool Accept(string[] args, ref int i)
    {
        string flag = args[i];
        switch (flag)
        {
            case "--dhcp-server":
                (uint dhcpAddress, int dhcpPort) = ParseEndpoint(Value(args, ref i), 67, flag);
                DhcpServerAddress = dhcpAddress;
                DhcpServerPort = dhcpPort;
                break;
            case "--bind":
                BindAddress = HostAddresses.ToIPAddress(ParseAddress(Value(args, ref i), flag));
                break;
            case "--boot-file":
                string file = Value(args, ref i);
                if (file.Length == 0 || file.Length > 255 || file.Contains('\0', StringComparison.Ordinal))
                {
                    throw new UsageException("--boot-file takes a file name of 1 to 255 characters");
                }

                BootFiles.Add(file);
                break;
            case "--no-boot-files":
                NoBootFiles = true;
                break;
            case "--seed":
                Seed = ParseInt(Value(args, ref i), flag, int.MinValue, int.MaxValue);
                break;
            case "--no-dhcp":
                NoDhcp = true;
                break;
            case "--address":
                ParseStaticAddress(Value(args, ref i));
                break;
            case "--gateway":
                Gateway = ParseAddress(Value(args, ref i), flag);
                break;
            case "--tftp-server":
                TftpServer = ParseServer(Value(args, ref i), flag);
                break;
            case "--call-server":
                if (CallServers.Count == MaxCallServers)
                {
                    throw new UsageException("--call-server is given at most " + MaxCallServers + " times (call_srv names 1 to 4 servers)");
                }

                CallServers.Add(ParseServer(Value(args, ref i), flag));
                break;
            case "--tls":
                Tls = true;
                break;
            case "--ca":
                CaPath = Value(args, ref i);
                break;
            case "--tls-insecure":
                TlsInsecure = true;
                break;
            case "--protocol":
                string protocol = Value(args, ref i);
                CallControlProtocol = protocol switch
                {
                    "bench" => CallControl.Bench,
                    "sip" => CallControl.Sip,
                    _ => throw new UsageException("--protocol takes bench or sip, not '" + protocol + "'"),
                };
                break;
            case "--transport":
                string transport = Value(args, ref i);
                SipTransportCode = transport switch
                {
                    "udp" => 1,
                    "tcp" => 2,
                    "tls" => 4,
                    _ => throw new UsageException("--transport takes udp, tcp or tls, not '" + transport + "'"),
                };
                break;
            case "--model":
                string model = Value(args, ref i);
                if (model.Length == 0 || model.Length > 32 || model.IndexOfAny(new[] { '/', '\\', ' ' }) >= 0)
                {
                    throw new UsageException("--model takes a model name of 1 to 32 characters without '/', '\\' or spaces, not '" + model + "'");
                }

                Model = model;
                break;
            case "--sip-port":
                string sipPort = Value(args, ref i);
                if (!int.TryParse(sipPort, NumberStyles.None, CultureInfo.InvariantCulture, out int sipPortNumber) || sipPortNumber > 65535)
                {
                    throw new UsageException("--sip-port takes a port 0 to 65535, not '" + sipPort + "'");
                }

                SipPort = sipPortNumber;
                break;
            default:
                return false;
        }

        _given.Add(flag);
        return true;
    }

    /// <summary>Refuses options that need another (or contradict one); settles what one implies (--transport tls is --tls).</summary>
    public void Check()
    {
        CheckSip();
        if ((CaPath != null || TlsInsecure) && !Tls)
        {
            throw new UsageException((CaPath != null ? "--ca" : "--tls-insecure") + " needs --tls");
        }

        if (CaPath != null && TlsInsecure)
        {
            throw new UsageException("--ca and --tls-insecure contradict each other: trust one CA, or (lab only) any certificate");
        }

        if (NoBootFiles && BootFiles.Count > 0)
        {
            throw new UsageException("--no-boot-files and --boot-file contradict each other: give one");
        }

        CheckStatic();
    }

    /// <summary>Sets the phone's boot files, protocol, SIP settings and static addressing (<paramref name="address"/> when --address was not given).</summary>
    public void ApplyTo(PhoneSettings settings, uint address)
    {
        settings.CallControl = CallControlProtocol;
        settings.SipTransportCode = SipTransportCode;
        settings.SipLocalPort = SipPort;
        if (Model != null)
        {
            settings.SipModel = Model;
        }

        if (CallControlProtocol == CallControl.Sip && BootFiles.Count == 0)
        {
            // A SIP set's boot fetches its configuration files; boot images only when asked for.
            settings.BootFiles = Array.Empty<string>();
        }

        if (BootFiles.Count > 0 || NoBootFiles)
        {
            settings.BootFiles = BootFiles.ToArray();
        }

        if (NoDhcp)
        {
            settings.StaticLease = StaticLease(StaticAddress != 0 ? StaticAddress : address);
        }
    }

    /// <summary>--tls [--ca FILE | --tls-insecure] for the host's TLS links; null without --tls. A CA file that cannot be read is a usage error.</summary>
    public TlsClientOptions? TlsClient()
    {
        if (!Tls)
        {
            return null;
        }

        X509Certificate2? ca = null;
        if (CaPath != null)
        {
            try
            {
                ca = X509CertificateLoader.LoadCertificateFromFile(CaPath);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new UsageException("--ca: cannot read a certificate from " + CaPath + ": " + e.Message);
            }
        }

        return new TlsClientOptions { TrustedCa = ca, AcceptAnyCertificate = TlsInsecure };
    }

    public static byte[] ParseMac(string text)
    {
        string[] parts = text.Split(':', '-');
        if (parts.Length != 6)
        {
            throw new UsageException("a MAC address is six hex pairs like 00:08:5d:12:34:56, not '" + text + "'");
        }

        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out mac[i]))
            {
                throw new UsageException("a MAC address is six hex pairs like 00:08:5d:12:34:56, not '" + text + "'");
            }
        }

        return mac;
    }

    /// <summary>A number of seconds for --timeout: above 0, at most a day.</summary>
    public static double ParseSeconds(string text, string flag)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0) || seconds > 86400)
        {
            throw new UsageException(flag + " takes a number of seconds above 0 and at most 86400, not '" + text + "'");
        }

        return seconds;
    }

    public static int ParseInt(string text, string flag, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new UsageException(flag + " takes a whole number from " + min.ToString(CultureInfo.InvariantCulture) + " to " + max.ToString(CultureInfo.InvariantCulture) + ", not '" + text + "'");
        }

        return value;
    }

    public static uint ParseAddress(string text, string flag)
    {
        if (!Ipv4.TryParse(text, out uint address))
        {
            throw new UsageException(flag + " takes an IPv4 address, not '" + text + "'");
        }

        return address;
    }

    /// <summary>A port from 1 to 65535.</summary>
    public static int ParsePort(string text, string flag)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
        {
            throw new UsageException(flag + " takes a port from 1 to 65535, not '" + text + "'");
        }

        return port;
    }

    /// <summary>The value after the flag at <paramref name="i"/>.</summary>
    public static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new UsageException(args[i] + " needs a value (see --help)");
        }

        return args[++i];
    }

    private static (uint Address, int Port) ParseEndpoint(string text, int defaultPort, string flag)
    {
        string host = text;
        int port = defaultPort;
        int colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            host = text.Substring(0, colon);
            port = ParsePort(text.Substring(colon + 1), flag);
        }

        if (!Ipv4.TryParse(host, out uint address))
        {
            throw new UsageException(flag + " takes ADDR[:PORT] with an IPv4 address, not '" + text + "'");
        }

        return (address, port);
    }

    // A server as option 125 would name it: an address, and a port only when one was given.
    private static ServerEndpoint ParseServer(string text, string flag)
    {
        (uint address, int port) = ParseEndpoint(text, 0, flag);
        return new ServerEndpoint { Host = Ipv4.Format(address), Address = address, Port = port };
    }

    private void ParseStaticAddress(string text)
    {
        string address = text;
        int slash = text.IndexOf('/');
        if (slash >= 0)
        {
            address = text.Substring(0, slash);
            if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix < 1 || prefix > 32)
            {
                throw new UsageException("--address takes ADDR[/PREFIX] with a prefix from 1 to 32, not '" + text + "'");
            }

            StaticPrefixLength = prefix;
        }

        if (!Ipv4.TryParse(address, out uint value) || value == 0)
        {
            throw new UsageException("--address takes ADDR[/PREFIX] with an IPv4 address, not '" + text + "'");
        }

        StaticAddress = value;
    }

    // The SIP options need --protocol sip; TLS is --transport tls, or --tls in SIP mode.
    private void CheckSip()
    {
        bool sip = CallControlProtocol == CallControl.Sip;
        foreach (string sipOnly in SipOnly)
        {
            if (!sip && _given.Contains(sipOnly))
            {
                throw new UsageException(sipOnly + " needs --protocol sip");
            }
        }

        if (!sip)
        {
            return;
        }

        if (Tls && SipTransportCode != 0 && SipTransportCode != 4)
        {
            throw new UsageException("--tls and --transport " + (SipTransportCode == 1 ? "udp" : "tcp") + " contradict each other: give one");
        }

        if (Tls)
        {
            SipTransportCode = 4;
        }
        else if (SipTransportCode == 4)
        {
            Tls = true; // the SIP line's stream connections are TLS, trusting --ca as for the bench
        }
    }

    // Static addressing names every server DHCP would have: where the files and the call server are.
    private void CheckStatic()
    {
        foreach (string staticOnly in StaticOnly)
        {
            if (!NoDhcp && _given.Contains(staticOnly))
            {
                throw new UsageException(staticOnly + " needs --no-dhcp (with DHCP the lease names the servers)");
            }
        }

        if (!NoDhcp)
        {
            return;
        }

        if (DhcpServerGiven)
        {
            throw new UsageException("--no-dhcp and --dhcp-server contradict each other: give one");
        }

        if (CallControlProtocol == CallControl.Sip)
        {
            if (TftpServer == null && CallServers.Count == 0)
            {
                throw new UsageException("--no-dhcp in SIP mode needs --tftp-server (the configuration files name the registrar) or --call-server (the registrar)");
            }

            return;
        }

        if (CallServers.Count == 0)
        {
            throw new UsageException("--no-dhcp needs --call-server ADDR[:PORT]: the call server to register with");
        }

        if (TftpServer == null && !NoBootFiles)
        {
            throw new UsageException("--no-dhcp needs --tftp-server ADDR[:PORT] for the boot files, or --no-boot-files");
        }
    }

    // What a lease would have given: the address for ever, the servers as option 125 names them.
    private DhcpLease StaticLease(uint address)
    {
        IpPhoneConfig config = new()
        {
            CallServers = CallServers.ToArray(),
            TftpServers = TftpServer == null ? Array.Empty<ServerEndpoint>() : new[] { TftpServer },
        };
        return new DhcpLease
        {
            Address = address,
            SubnetMask = StaticPrefixLength == 32 ? 0xFFFFFFFF : ~(0xFFFFFFFFu >> StaticPrefixLength),
            Router = Gateway,
            LeaseSeconds = uint.MaxValue,
            PhoneConfig = config,
        };
    }
}
