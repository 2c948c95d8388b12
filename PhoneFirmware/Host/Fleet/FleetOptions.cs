using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using Protocol.Common;

namespace PhoneFirmware.Host.Fleet;

/// <summary>The `phone fleet` command line. Every flag is listed in <see cref="Usage"/> (docs/fleet.md).</summary>
public sealed class FleetOptions
{
    /// <summary>The most phones one fleet process runs (split more with --shard across processes).</summary>
    public const int MaxCount = 1_000_000;

    public const string Usage = """
        phone fleet - many emulated phones (the same portable core as `phone`) on a few threads

        usage: phone fleet --count N [options]

        The phones:
          --count N                 phones in the whole fleet (all shards together)
          --mac-base MAC            phone 0's MAC; phone i has MAC-base + i (default 00:08:5d:10:00:00)
          --shard K/N               run only the Kth of N equal slices of the fleet (1 <= K <= N); MACs and
                                    DNs follow the phone's index in the whole fleet (docs/fleet.md)
          --threads T               worker threads stepping the phones (default: processor count)
          --window N                at most N phones of this shard between power-up and settled (registered,
                                    prompted, refused); the next powers up when one settles (default: all
                                    at once). Split over the threads; a phone that never settles keeps its place
          --flash-dir DIR           phone i's flash is DIR/<mac>.flash, kept between runs (default: in memory)
          --dn-base DN              phone i's DN is DN + i: the {dn} of --pin-pattern
          --pin-pattern P           phone i's PIN, {dn} replaced (e.g. '***{dn}'); without it a prompt is
                                    the phone's outcome ("prompted")
          --pins stored|typed       stored (default): the PIN is written to the flash of a phone that holds
                                    none, so it registers without a prompt; typed: the flash holds no PIN
                                    and the fleet types the PIN on the keypad when the prompt opens
          --typed-every K           with --pins stored: every Kth phone (index % K == 0) types instead
          (--seed N: phone i seeds its randomness with N + i; default: random)
          --installed-image VERSION record VERSION as the installed boot image in the flash of a phone that
                                    holds no image record, so a manifest naming it skips the image (a warm
                                    boot; the fleet's image flash keeps no bytes, docs/fleet.md)

        The network:
          --dhcp-server ADDR[:PORT] where DHCP goes. Loopback (default): each phone's DHCP socket is its own
                                    port on --bind and the server answers that port (our controller);
                                    with --relay: the server's address, unicast to PORT (default 67)
          --relay ADDR              be a DHCP relay agent at local address ADDR: giaddr = ADDR, requests
                                    go from ADDR:67 to the server's port 67, replies come back there
                                    (Kea, ISC dhcpd, dnsmasq answer relayed requests; needs root for port 67)
          --bind ADDR               local address of TFTP and call-server sockets (default: the --relay
                                    address, else 127.0.0.1); with --no-dhcp every phone's address

        Each phone, as `phone` takes them (the same spellings and checks; in a fleet --address,
        --sip-port and TLS are refused: the phones share --bind's address and take ports in turn):

        """ + PerPhoneOptions.Usage + """

        In SIP mode (--protocol sip) phone i's number is --dn-base + i and its password the PIN of
        --pin-pattern (docs/fleet.md, "SIP mode").

        Running and output:
          --timeout SECONDS         phones not registered (or prompted) by then fail as stuck (default 120)
          --hold                    once every phone settled, keep them registered until SIGTERM/SIGINT
          --events json|none        json: every event of every phone on stdout, one object per line with
                                    "phone" (its index) and "mac" first (default none; display events omitted)
          --summary                 print the final table on stdout (default: on stderr)
          --summary-json FILE       write the final counts, reasons, phase times and memory as JSON
          --no-progress             no live progress line (default: shown when stderr is a terminal)
          --help                    this text

        Exit codes: 0 every phone registered (or prompted without a PIN to type), 1 some failed,
        2 bad usage.
        """;

    public int Count { get; private set; }

    public long MacBase { get; private set; } = 0x00085d100000L;

    public int ShardIndex { get; private set; } = 1;

    public int ShardCount { get; private set; } = 1;

    public int Threads { get; private set; } = Environment.ProcessorCount;

    /// <summary>At most this many phones between power-up and settled (--window); 0: all power up at once.</summary>
    public int Window { get; private set; }

    public string? FlashDirectory { get; private set; }

    public long? DnBase { get; private set; }

    public string? PinPattern { get; private set; }

    public bool TypedPins { get; private set; }

    public int TypedEvery { get; private set; }

    /// <summary>The options each phone takes as `phone` does (addressing, boot files, protocol, seed).</summary>
    public PerPhoneOptions Phone { get; } = new(0x7F000001);

    /// <summary>The boot image version written into a phone's flash that records none, before power-up (--installed-image).</summary>
    public string? InstalledImage { get; private set; }

    public int? Seed => Phone.Seed;

    public uint DhcpServerAddress => Phone.DhcpServerAddress;

    public int DhcpServerPort => Phone.DhcpServerPort;

    public bool DhcpServerGiven => Phone.DhcpServerGiven;

    public IPAddress? RelayAddress { get; private set; }

    public IPAddress? BindAddress => Phone.BindAddress;

    public List<string> BootFiles => Phone.BootFiles;

    public bool NoBootFiles => Phone.NoBootFiles;

    public bool Sip => Phone.CallControlProtocol == Core.CallControl.Sip;

    public double TimeoutSeconds { get; private set; } = 120;

    public bool Hold { get; private set; }

    public bool JsonEvents { get; private set; }

    public bool SummaryOnStdout { get; private set; }

    public string? SummaryJsonPath { get; private set; }

    public bool NoProgress { get; private set; }

    public bool Help { get; private set; }

    public IPAddress EffectiveBindAddress => BindAddress ?? RelayAddress ?? IPAddress.Loopback;

    /// <summary>The first phone index of this shard (inclusive).</summary>
    public int FirstIndex => (int)((long)Count * (ShardIndex - 1) / ShardCount);

    /// <summary>The phone index after this shard's last.</summary>
    public int EndIndex => (int)((long)Count * ShardIndex / ShardCount);

    /// <summary>Parses the arguments after `fleet`; throws <see cref="UsageException"/> with a clear message on any mistake.</summary>
    public static FleetOptions Parse(string[] args)
    {
        FleetOptions options = new();
        bool countGiven = false;
        bool pinsGiven = false;
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
                case "--count":
                    options.Count = ParseInt(Value(args, ref i), flag, 1, MaxCount);
                    countGiven = true;
                    break;
                case "--mac-base":
                    options.MacBase = MacToNumber(PerPhoneOptions.ParseMac(Value(args, ref i)));
                    break;
                case "--shard":
                    ParseShard(Value(args, ref i), options);
                    break;
                case "--threads":
                    options.Threads = ParseInt(Value(args, ref i), flag, 1, 256);
                    break;
                case "--window":
                    options.Window = ParseInt(Value(args, ref i), flag, 1, MaxCount);
                    break;
                case "--flash-dir":
                    options.FlashDirectory = Value(args, ref i);
                    break;
                case "--dn-base":
                    string dn = Value(args, ref i);
                    if (dn.Length == 0 || dn.Length > 10 || !long.TryParse(dn, NumberStyles.None, CultureInfo.InvariantCulture, out long dnBase))
                    {
                        throw new UsageException("--dn-base takes a number of 1 to 10 digits, not '" + dn + "'");
                    }

                    options.DnBase = dnBase;
                    break;
                case "--pin-pattern":
                    options.PinPattern = Value(args, ref i);
                    break;
                case "--pins":
                    string mode = Value(args, ref i);
                    if (mode != "stored" && mode != "typed")
                    {
                        throw new UsageException("--pins takes stored or typed, not '" + mode + "'");
                    }

                    options.TypedPins = mode == "typed";
                    pinsGiven = true;
                    break;
                case "--typed-every":
                    options.TypedEvery = ParseInt(Value(args, ref i), flag, 1, MaxCount);
                    break;
                case "--installed-image":
                    string version = Value(args, ref i);
                    if (!IsImageVersion(version))
                    {
                        throw new UsageException("--installed-image takes a version of 1 to " + Core.Storage.ImageVersionStore.MaxVersionLength + " printable ASCII characters without spaces, not '" + version + "'");
                    }

                    options.InstalledImage = version;
                    break;
                case "--relay":
                    options.RelayAddress = Hal.Host.HostAddresses.ToIPAddress(PerPhoneOptions.ParseAddress(Value(args, ref i), flag));
                    break;
                case "--timeout":
                    options.TimeoutSeconds = PerPhoneOptions.ParseSeconds(Value(args, ref i), flag);
                    break;
                case "--hold":
                    options.Hold = true;
                    break;
                case "--events":
                    string events = Value(args, ref i);
                    if (events != "json" && events != "none")
                    {
                        throw new UsageException("--events takes json or none, not '" + events + "'");
                    }

                    options.JsonEvents = events == "json";
                    break;
                case "--summary":
                    options.SummaryOnStdout = true;
                    break;
                case "--summary-json":
                    options.SummaryJsonPath = Value(args, ref i);
                    break;
                case "--no-progress":
                    options.NoProgress = true;
                    break;
                default:
                    throw new UsageException("unknown option '" + flag + "' (see phone fleet --help)");
            }
        }

        if (options.Help)
        {
            return options;
        }

        Check(options, countGiven, pinsGiven);
        return options;
    }

    /// <summary>Phone <paramref name="index"/>'s MAC: the base plus the index, in 48 bits.</summary>
    public byte[] MacOf(int index)
    {
        long value = MacBase + index;
        byte[] mac = new byte[6];
        for (int i = 5; i >= 0; i--)
        {
            mac[i] = (byte)value;
            value >>= 8;
        }

        return mac;
    }

    /// <summary>Phone <paramref name="index"/>'s PIN, or null when the fleet has none to give.</summary>
    public string? PinOf(int index)
    {
        if (PinPattern == null)
        {
            return null;
        }

        string dn = DnBase.HasValue ? (DnBase.Value + index).ToString(CultureInfo.InvariantCulture) : string.Empty;
        return PinPattern.Replace("{dn}", dn, StringComparison.Ordinal);
    }

    /// <summary>Phone <paramref name="index"/>'s DN (--dn-base + index; its SIP number), or null without --dn-base.</summary>
    public string? DnOf(int index)
    {
        return DnBase.HasValue ? (DnBase.Value + index).ToString(CultureInfo.InvariantCulture) : null;
    }

    /// <summary>True when phone <paramref name="index"/> types its PIN at the prompt rather than finding it in flash.</summary>
    public bool TypesPin(int index)
    {
        return TypedPins || (TypedEvery > 0 && index % TypedEvery == 0);
    }

    public static long MacToNumber(byte[] mac)
    {
        long value = 0;
        foreach (byte part in mac)
        {
            value = (value << 8) | part;
        }

        return value;
    }

    private static void Check(FleetOptions options, bool countGiven, bool pinsGiven)
    {
        if (!countGiven)
        {
            throw new UsageException("--count N is required: how many phones (see phone fleet --help)");
        }

        if (options.MacBase + options.Count - 1 > 0xFFFFFFFFFFFFL)
        {
            throw new UsageException("--mac-base plus --count runs past ff:ff:ff:ff:ff:ff");
        }

        if (options.ShardCount > options.Count)
        {
            throw new UsageException("--shard " + options.ShardIndex + "/" + options.ShardCount + " splits " + options.Count + " phones into more shards than phones");
        }

        if (options.PinPattern != null)
        {
            bool usesDn = options.PinPattern.Contains("{dn}", StringComparison.Ordinal);
            if (usesDn && !options.DnBase.HasValue)
            {
                throw new UsageException("--pin-pattern uses {dn}: give --dn-base");
            }

            // Every PIN the pattern can produce must be a valid one: check the longest.
            string longest = options.PinPattern.Replace("{dn}", usesDn ? (options.DnBase!.Value + options.Count - 1).ToString(CultureInfo.InvariantCulture) : string.Empty, StringComparison.Ordinal);
            int most = options.Sip ? Core.Storage.SipCredentialStore.MaxLength : 17;
            if (longest.Length == 0 || longest.Length > most)
            {
                throw new UsageException("--pin-pattern gives PINs like '" + longest + "': a " + (options.Sip ? "SIP password" : "PIN") + " has 1 to " + most + " keys");
            }

            foreach (char key in longest)
            {
                if (!Hal.Keys.IsDialKey(key))
                {
                    throw new UsageException("--pin-pattern: '" + key + "' is not a key of 0-9 * # (only {dn} is replaced)");
                }
            }
        }
        else if (pinsGiven || options.TypedEvery > 0)
        {
            throw new UsageException((pinsGiven ? "--pins" : "--typed-every") + " needs --pin-pattern: there is no PIN to store or type");
        }

        if (options.TypedPins && options.TypedEvery > 0)
        {
            throw new UsageException("--pins typed already types every PIN; --typed-every is for --pins stored");
        }

        options.Phone.Check();
        CheckPerPhone(options);
        if (options.RelayAddress != null && options.Phone.NoDhcp)
        {
            throw new UsageException("--relay and --no-dhcp contradict each other: the relay carries DHCP; give one");
        }

        if (options.RelayAddress != null && !options.DhcpServerGiven)
        {
            throw new UsageException("--relay needs --dhcp-server ADDR: the server the relay forwards to");
        }
    }

    // What one phone can do but a fleet of them sharing one address cannot (yet).
    private static void CheckPerPhone(FleetOptions options)
    {
        if (options.Phone.Given("--address"))
        {
            throw new UsageException("--address: a fleet's phones all use its --bind address; give --bind");
        }

        if (options.Phone.Given("--sip-port"))
        {
            throw new UsageException("--sip-port: each phone of a fleet takes its own port in turn (docs/fleet.md)");
        }

        if (options.Phone.Tls)
        {
            throw new UsageException((options.Phone.Given("--transport") ? "--transport tls" : "--tls") + ": the fleet has no TLS to the call server yet (docs/fleet.md)");
        }
    }

    private static void ParseShard(string text, FleetOptions options)
    {
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || count < 1 || index < 1 || index > count)
        {
            throw new UsageException("--shard takes K/N with 1 <= K <= N (e.g. 2/4 for the second of four), not '" + text + "'");
        }

        options.ShardIndex = index;
        options.ShardCount = count;
    }

    private static int ParseInt(string text, string flag, int min, int max)
    {
        return PerPhoneOptions.ParseInt(text, flag, min, max);
    }

    private static string Value(string[] args, ref int i)
    {
        return PerPhoneOptions.Value(args, ref i);
    }

    // What the image record can hold (Storage.ImageVersionStore): 1 to 32 printable ASCII characters, no spaces.
    private static bool IsImageVersion(string version)
    {
        if (version.Length == 0 || version.Length > Core.Storage.ImageVersionStore.MaxVersionLength)
        {
            return false;
        }

        foreach (char c in version)
        {
            if (c <= ' ' || c >= (char)0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
