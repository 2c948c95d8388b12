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

    public const string Usage = UsageHead + PerPhoneOptions.Usage + UsageTail;

    private const string UsageHead = """
        phone - the emulated IP phone (the firmware core on this host's sockets)

        usage: phone [options]
               phone fleet --count N [options]   many phones on a few threads (phone fleet --help)

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
          --iface NAME              run DHCP on interface NAME (broadcast; needs root, e.g. in a netns);
                                    with --no-dhcp the static address is configured on it

        """;

    private const string UsageTail = """
          --terminal                draw the display in this terminal and read the keyboard as the
                                    keypad (p power cycle, s power up holding '*', q quit);
                                    events go to the status line, not stdout (docs/terminal-view.md)
          --test-port TTY           serve the serial test port (docs/test-port.md) on TTY, e.g. one
                                    end of a socat pty pair; its keys replace the terminal's
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

    /// <summary>The options `phone fleet` shares (addressing, boot files, protocol, TLS, seed).</summary>
    public PerPhoneOptions Phone { get; } = new(Ipv4.Broadcast);

    public uint DhcpServerAddress => Phone.DhcpServerAddress;

    public int DhcpServerPort => Phone.DhcpServerPort;

    public int DhcpClientPort { get; private set; } = 68;

    public IPAddress? BindAddress => Phone.BindAddress;

    public string? Interface { get; private set; }

    public List<string> BootFiles => Phone.BootFiles;

    public bool NoBootFiles => Phone.NoBootFiles;

    public int? Seed => Phone.Seed;

    public bool Terminal { get; private set; }

    public bool Help { get; private set; }

    public string? TestPort { get; private set; }

    public bool Tls => Phone.Tls;

    public string? CaPath => Phone.CaPath;

    public bool TlsInsecure => Phone.TlsInsecure;

    public PhoneFirmware.Core.CallControl CallControlProtocol => Phone.CallControlProtocol;

    /// <summary>--transport: 1 UDP, 2 TCP, 4 TLS (the vendor's codes), 0 for what the files say.</summary>
    public int SipTransportCode => Phone.SipTransportCode;

    public string? Model => Phone.Model;

    public int SipPort => Phone.SipPort;

    public string MacText => Protocol.Common.MacAddress.Format(Mac);

    public string EffectiveFlashPath => FlashPath ?? "phone-" + MacText.Replace(":", string.Empty, StringComparison.Ordinal) + ".flash";

    /// <summary>--bind, else the loopback bench's 127.0.0.1 when DHCP goes to a unicast server, else any.</summary>
    public IPAddress EffectiveBindAddress => BindAddress ?? (DhcpServerAddress == Ipv4.Broadcast ? IPAddress.Any : IPAddress.Loopback);

    /// <summary>With --no-dhcp: the static address (--address, else --bind's).</summary>
    public uint StaticAddress => Phone.StaticAddress != 0 ? Phone.StaticAddress : (BindAddress == null ? 0 : Hal.Host.HostAddresses.FromIPAddress(BindAddress));

    /// <summary>Parses the arguments; throws <see cref="UsageException"/> with a clear message on any mistake.</summary>
    public static PhoneOptions Parse(string[] args)
    {
        PhoneOptions options = new();
        bool eventsGiven = false;
        bool clientPortGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (options.Phone.Accept(args, ref i))
            {
                continue;
            }

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
                    options.TimeoutSeconds = PerPhoneOptions.ParseSeconds(Value(args, ref i), flag);
                    break;
                case "--dhcp-client-port":
                    string clientPort = Value(args, ref i);
                    options.DhcpClientPort = clientPort == "0" ? 0 : PerPhoneOptions.ParsePort(clientPort, flag);
                    clientPortGiven = true;
                    break;
                case "--iface":
                    options.Interface = Value(args, ref i);
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
                default:
                    throw new UsageException("unknown option '" + flag + "' (see --help)");
            }
        }

        options.Phone.Check();

        if (options.Terminal && eventsGiven)
        {
            throw new UsageException("--terminal draws on stdout, so it cannot also print --events there");
        }

        if (options.Terminal && options.TestPort != null)
        {
            throw new UsageException("--terminal and --test-port each run the phone their own way; use one of them");
        }

        if (options.Phone.NoDhcp && options.StaticAddress == 0)
        {
            throw new UsageException("--no-dhcp needs --address ADDR[/PREFIX] (or --bind ADDR): the phone's own address");
        }

        if (options.Phone.NoDhcp && clientPortGiven)
        {
            throw new UsageException("--no-dhcp and --dhcp-client-port contradict each other: give one");
        }

        return options;
    }

    public static byte[] ParseMac(string text)
    {
        return PerPhoneOptions.ParseMac(text);
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

    private static string Value(string[] args, ref int i)
    {
        return PerPhoneOptions.Value(args, ref i);
    }
}
