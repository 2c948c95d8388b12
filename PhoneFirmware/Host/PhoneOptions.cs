using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using Protocol.Common;

namespace PhoneFirmware.Host;

/// <summary>The `phone` command line. Every flag is listed in <see cref="Usage"/>.</summary>
public sealed class PhoneOptions
{
    /// <summary>The most keys --keys types at the first PIN prompt.</summary>
    public const int MaxTypedKeys = 256;

    public const string Usage = """
        phone - the emulated IP phone (the firmware core on this host's sockets)

        usage: phone [options]

          --mac AA:BB:CC:DD:EE:FF   the phone's MAC address (default 00:08:5d:00:00:01)
          --flash FILE              its persistent flash image, created if missing (default phone-<mac>.flash)
          --image-flash FILE        its image flash (16 MiB, two 8 MiB halves), created if missing: the
                                    boot image is written there when its manifest version is new
                                    (default: none, the image is fetched and verified only)
          --pin PIN                 answer the first PIN prompt of this boot with PIN (e.g. ***1000);
                                    later prompts read the keypad
          --keys KEYS               type KEYS on the keypad when the first PIN prompt opens: 0-9 * #,
                                    {ok} for the Confirm key, {bs} for Backspace (e.g. '***1000{ok}')
          --hold-star               hold '*' during power-up: clears the stored PIN
          --events json|text|none   event output on stdout (default text); json is one object per line
          --exit-after EVENT        exit 0 once EVENT happened (e.g. registered, pin.prompt, tftp.done)
          --timeout SECONDS         exit 3 if --exit-after's event has not happened by then (default: none)
          --dhcp-server ADDR[:PORT] where DHCP requests go (default 255.255.255.255:67;
                                    127.0.0.1:PORT on the loopback bench)
          --dhcp-client-port PORT   the phone's DHCP port (default 68; 0 = any free port, for the
                                    loopback bench, where the server answers the source port)
          --bind ADDR               local address of the phone's sockets (default 127.0.0.1 on the
                                    loopback bench, 0.0.0.0 otherwise)
          --iface NAME              run DHCP on interface NAME (broadcast; needs root, e.g. in a netns)
          --boot-file NAME          a boot file to fetch by TFTP, repeatable (default boot.img)
          --no-boot-files           skip the TFTP stage: go from DHCP straight to the call server
          --seed N                  seed for transaction ids and jitter (default: random)
          --terminal                draw the display in this terminal and read the keyboard as the
                                    keypad (p power cycle, s power up holding '*', q quit);
                                    events go to the status line, not stdout (docs/terminal-view.md)
          --test-port TTY           serve the serial test port (docs/test-port.md) on TTY, e.g. one
                                    end of a socat pty pair; its keys replace the terminal's
          --tls                     register over TLS (the controller's `tls` listener); the
                                    certificate must chain to the system's roots or to --ca and
                                    name the address dialled
          --ca FILE                 with --tls: also trust this CA certificate (PEM or DER), e.g. a lab CA
          --tls-insecure            with --tls: accept ANY certificate (encrypts, does not
                                    authenticate the controller; lab use only)
          --protocol bench|sip      call control: our bench protocol (default) or SIP (docs/sip.md):
                                    after DHCP the phone fetches startup.cfg, <model>.cfg and
                                    <MAC>.cfg by TFTP and registers with their registrar
          --transport udp|tcp|tls   with --protocol sip: the SIP transport (default: the files'
                                    "sip transport protocol", else udp); tls takes --ca as --tls does
          --model NAME              with --protocol sip: the model for <model>.cfg (default 6867i)
          --sip-port PORT           with --protocol sip: the line's local port (default 5060; 0 = any)
          --help                    this text

        The keypad: when stdin is a terminal or a pipe, typed keys 0-9 * # go to the phone; Enter
        (the end of a line) is the Confirm key, Backspace/DEL the Backspace key.
        Exit codes: 0 done, 2 bad usage, 3 timeout.
        """;

    public byte[] Mac { get; private set; } = { 0x00, 0x08, 0x5d, 0x00, 0x00, 0x01 };

    public string? FlashPath { get; private set; }

    public string? ImageFlashPath { get; private set; }

    public string? Pin { get; private set; }

    public string Keys { get; private set; } = string.Empty;

    public bool HoldStar { get; private set; }

    public string Events { get; private set; } = "text";

    public string? ExitAfter { get; private set; }

    public double? TimeoutSeconds { get; private set; }

    public uint DhcpServerAddress { get; private set; } = Ipv4.Broadcast;

    public int DhcpServerPort { get; private set; } = 67;

    public int DhcpClientPort { get; private set; } = 68;

    public IPAddress? BindAddress { get; private set; }

    public string? Interface { get; private set; }

    public List<string> BootFiles { get; } = new();

    public bool NoBootFiles { get; private set; }

    public int? Seed { get; private set; }

    public bool Terminal { get; private set; }

    public bool Help { get; private set; }

    public string? TestPort { get; private set; }

    public bool Tls { get; private set; }

    public string? CaPath { get; private set; }

    public bool TlsInsecure { get; private set; }

    public PhoneFirmware.Core.CallControl CallControlProtocol { get; private set; } = PhoneFirmware.Core.CallControl.Bench;

    /// <summary>--transport: 1 UDP, 2 TCP, 4 TLS (the vendor's codes), 0 for what the files say.</summary>
    public int SipTransportCode { get; private set; }

    public string? Model { get; private set; }

    public int SipPort { get; private set; } = 5060;

    public string MacText => Protocol.Common.MacAddress.Format(Mac);

    public string EffectiveFlashPath => FlashPath ?? "phone-" + MacText.Replace(":", string.Empty, StringComparison.Ordinal) + ".flash";

    public IPAddress EffectiveBindAddress => BindAddress ?? (DhcpServerAddress == Ipv4.Broadcast ? IPAddress.Any : IPAddress.Loopback);

    /// <summary>Parses the arguments; throws <see cref="UsageException"/> with a clear message on any mistake.</summary>
    public static PhoneOptions Parse(string[] args)
    {
        PhoneOptions options = new();
        bool eventsGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            switch (flag)
            {
                case "--help":
                case "-h":
                    options.Help = true;
                    break;
                case "--mac":
                    options.Mac = ParseMac(Value(args, ref i));
                    break;
                case "--flash":
                    options.FlashPath = Value(args, ref i);
                    break;
                case "--image-flash":
                    options.ImageFlashPath = Value(args, ref i);
                    break;
                case "--pin":
                    options.Pin = ParsePin(Value(args, ref i));
                    break;
                case "--keys":
                    options.Keys = ParseKeys(Value(args, ref i));
                    break;
                case "--hold-star":
                    options.HoldStar = true;
                    break;
                case "--events":
                    string mode = Value(args, ref i);
                    if (mode != "json" && mode != "text" && mode != "none")
                    {
                        throw new UsageException("--events takes json, text or none, not '" + mode + "'");
                    }

                    options.Events = mode;
                    eventsGiven = true;
                    break;
                case "--exit-after":
                    options.ExitAfter = Value(args, ref i);
                    break;
                case "--timeout":
                    string seconds = Value(args, ref i);
                    if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double timeout) || timeout <= 0)
                    {
                        throw new UsageException("--timeout takes a positive number of seconds, not '" + seconds + "'");
                    }

                    options.TimeoutSeconds = timeout;
                    break;
                case "--dhcp-server":
                    (options.DhcpServerAddress, options.DhcpServerPort) = ParseEndpoint(Value(args, ref i), 67, flag);
                    break;
                case "--dhcp-client-port":
                    string clientPort = Value(args, ref i);
                    options.DhcpClientPort = clientPort == "0" ? 0 : ParsePort(clientPort, flag);
                    break;
                case "--bind":
                    string bind = Value(args, ref i);
                    if (!IPAddress.TryParse(bind, out IPAddress? bindAddress))
                    {
                        throw new UsageException("--bind takes an IPv4 address, not '" + bind + "'");
                    }

                    options.BindAddress = bindAddress;
                    break;
                case "--iface":
                    options.Interface = Value(args, ref i);
                    break;
                case "--boot-file":
                    string file = Value(args, ref i);
                    if (file.Length == 0 || file.Length > 255 || file.Contains('\0', StringComparison.Ordinal))
                    {
                        throw new UsageException("--boot-file takes a file name of 1 to 255 characters");
                    }

                    options.BootFiles.Add(file);
                    break;
                case "--no-boot-files":
                    options.NoBootFiles = true;
                    break;
                case "--seed":
                    string seed = Value(args, ref i);
                    if (!int.TryParse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seedValue))
                    {
                        throw new UsageException("--seed takes an integer, not '" + seed + "'");
                    }

                    options.Seed = seedValue;
                    break;
                case "--test-port":
                    string tty = Value(args, ref i);
                    if (tty.Length == 0 || tty.Contains('\0', StringComparison.Ordinal))
                    {
                        throw new UsageException("--test-port takes the path of a tty, e.g. /dev/pts/3");
                    }

                    options.TestPort = tty;
                    break;
                case "--terminal":
                    options.Terminal = true;
                    break;
                case "--tls":
                    options.Tls = true;
                    break;
                case "--ca":
                    options.CaPath = Value(args, ref i);
                    break;
                case "--tls-insecure":
                    options.TlsInsecure = true;
                    break;
                case "--protocol":
                    string protocol = Value(args, ref i);
                    options.CallControlProtocol = protocol switch
                    {
                        "bench" => PhoneFirmware.Core.CallControl.Bench,
                        "sip" => PhoneFirmware.Core.CallControl.Sip,
                        _ => throw new UsageException("--protocol takes bench or sip, not '" + protocol + "'"),
                    };
                    break;
                case "--transport":
                    string transport = Value(args, ref i);
                    options.SipTransportCode = transport switch
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

                    options.Model = model;
                    break;
                case "--sip-port":
                    string sipPort = Value(args, ref i);
                    if (!int.TryParse(sipPort, out int sipPortNumber) || sipPortNumber < 0 || sipPortNumber > 65535)
                    {
                        throw new UsageException("--sip-port takes a port 0 to 65535, not '" + sipPort + "'");
                    }

                    options.SipPort = sipPortNumber;
                    break;
                default:
                    throw new UsageException("unknown option '" + flag + "' (see --help)");
            }
        }

        CheckSip(options, args);

        if (options.Terminal && eventsGiven)
        {
            throw new UsageException("--terminal draws on stdout, so it cannot also print --events there");
        }

        if (options.Terminal && options.TestPort != null)
        {
            throw new UsageException("--terminal and --test-port each run the phone their own way; use one of them");
        }

        if ((options.CaPath != null || options.TlsInsecure) && !options.Tls)
        {
            throw new UsageException((options.CaPath != null ? "--ca" : "--tls-insecure") + " needs --tls");
        }

        if (options.CaPath != null && options.TlsInsecure)
        {
            throw new UsageException("--ca and --tls-insecure contradict each other: trust one CA, or (lab only) any certificate");
        }

        if (options.NoBootFiles && options.BootFiles.Count > 0)
        {
            throw new UsageException("--no-boot-files and --boot-file contradict each other: give one");
        }

        return options;
    }

    // The SIP options need --protocol sip; TLS is --transport tls, or --tls in SIP mode.
    private static void CheckSip(PhoneOptions options, string[] args)
    {
        bool sip = options.CallControlProtocol == PhoneFirmware.Core.CallControl.Sip;
        foreach (string sipOnly in new[] { "--transport", "--model", "--sip-port" })
        {
            if (!sip && Array.IndexOf(args, sipOnly) >= 0)
            {
                throw new UsageException(sipOnly + " needs --protocol sip");
            }
        }

        if (!sip)
        {
            return;
        }

        if (options.Tls && options.SipTransportCode != 0 && options.SipTransportCode != 4)
        {
            throw new UsageException("--tls and --transport " + (options.SipTransportCode == 1 ? "udp" : "tcp") + " contradict each other: give one");
        }

        if (options.Tls)
        {
            options.SipTransportCode = 4;
        }
        else if (options.SipTransportCode == 4)
        {
            options.Tls = true; // the SIP line's stream connections are TLS, trusting --ca as for the bench
        }
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

    private static string ParsePin(string pin)
    {
        if (pin.Length == 0 || pin.Length > 17)
        {
            throw new UsageException("--pin takes 1 to 17 keys of 0-9 * # (access code + DN, e.g. ***1000), not '" + pin + "'");
        }

        foreach (char key in pin)
        {
            if (!Hal.Keys.IsDialKey(key))
            {
                throw new UsageException("--pin takes keys of 0-9 * # (the PIN itself, no {ok}); '" + key + "' is not one");
            }
        }

        return pin;
    }

    private static string ParseKeys(string text)
    {
        string? keys = Hal.KeyText.Parse(text, MaxTypedKeys, out string error);
        if (keys == null)
        {
            throw new UsageException("--keys: " + error + " (e.g. --keys '***1000{ok}')");
        }

        return keys;
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

    private static int ParsePort(string text, string flag)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
        {
            throw new UsageException(flag + " takes a port from 1 to 65535, not '" + text + "'");
        }

        return port;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new UsageException(args[i] + " needs a value (see --help)");
        }

        return args[++i];
    }
}
