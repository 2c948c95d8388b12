using Protocol.Common;
using Protocol.Dhcp;

namespace PhoneFirmware.Core;

/// <summary>
/// How a phone is set up; the device reads it from its board profile, the host from the command line.
/// Defaults are those of a real set on a real network.
/// </summary>
public sealed class PhoneSettings
{
    /// <summary>Where DHCP requests go: the broadcast address on a network, 127.0.0.1 on the loopback bench.</summary>
    public uint DhcpBroadcastAddress { get; set; } = Ipv4.Broadcast;

    public int DhcpServerPort { get; set; } = 67;

    public int DhcpClientPort { get; set; } = 68;

    /// <summary>
    /// Static addressing (no DHCP, for labs without a DHCP server to spare): what a lease would
    /// have given — address, mask, router, and the TFTP and call servers as option 125 names
    /// them. Null (the default): DHCP. See docs/dhcp.md, "Static addressing".
    /// </summary>
    public DhcpLease? StaticLease { get; set; }

    /// <summary>Boot files fetched by TFTP, in order. See docs/tftp.md.</summary>
    public string[] BootFiles { get; set; } = new string[] { "boot.img" };

    /// <summary>
    /// The boot file written to the image flash (when the phone has one), and only when the
    /// manifest's version differs from the installed one. Empty: none. See docs/tftp.md.
    /// </summary>
    public string ImageFile { get; set; } = "boot.img";

    /// <summary>Fetched first from the same server; when present it gives each boot file's size and SHA-256. Empty: none.</summary>
    public string ManifestFile { get; set; } = "boot.manifest";

    public int TftpDefaultPort { get; set; } = 69;

    public int TftpBlockSize { get; set; } = 1468;

    /// <summary>
    /// Blocks the phone asks the server to send per ACK (RFC 7440 windowsize; 1 asks for none): a
    /// 256 KiB image takes a quarter of the round trips. Kept small because the client takes
    /// blocks in order only and a small device's IP stack queues few datagrams per socket
    /// (ESP-IDF's lwIP: CONFIG_LWIP_UDP_RECVMBOX_SIZE, 6 by default); a server without the
    /// option sends one block per ACK. See docs/tftp.md.
    /// </summary>
    public int TftpWindowSize { get; set; } = 4;

    /// <summary>
    /// How long the phone waits for a TFTP server that leaves its request unanswered or answers
    /// "busy" (a boot storm's queue), retrying with the capped back-off and showing "Waiting for
    /// server", before it gives that server up (the next one, or a reset). See docs/tftp.md.
    /// </summary>
    public int TftpServerPatienceMilliseconds { get; set; } = 180000;

    /// <summary>The call server port when Option 125 names none (6800 is the real product's plain port).</summary>
    public int CallServerDefaultPort { get; set; } = 6800;

    /// <summary>A PIN typed for scripts (`--pin`); used for the first prompt of a boot only.</summary>
    public string? PresetPin { get; set; }

    public int SetType { get; set; } = 5320;

    public string FirmwareVersion { get; set; } = "1.0.0";

    /// <summary>How long the phone waits for a TCP link or a reply before trying the next call server.</summary>
    public int CallServerTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>Pause after every call server failed, before starting over with the first.</summary>
    public int CallServerRetryMilliseconds { get; set; } = 4000;

    /// <summary>Back-offs double from <see cref="CallServerRetryMilliseconds"/> up to this, until a registration succeeds.</summary>
    public int CallServerRetryMaxMilliseconds { get; set; } = 30000;

    /// <summary>Redirects one registration may follow; the next one ends the chain (docs/registration-protocol.md, redirect policy).</summary>
    public int RedirectHopLimit { get; set; } = 4;

    /// <summary>Attempts at an unreachable or refusing redirect target, a back-off apart, before its DN's secondary.</summary>
    public int RedirectTargetAttempts { get; set; } = 2;

    /// <summary>Typed PIN keys are discarded after this long without a key press; the prompt stays.</summary>
    public int PinEntryTimeoutMilliseconds { get; set; } = 30000;

    /// <summary>Pause before the phone boots again after a reset (a real set takes a few seconds).</summary>
    public int ResetDelayMilliseconds { get; set; } = 1000;

    /// <summary>While registered the phone sends a keepalive this often...</summary>
    public int KeepaliveIntervalMilliseconds { get; set; } = 10000;

    /// <summary>...and declares its element lost after this many intervals without a word from it.</summary>
    public int KeepaliveMisses { get; set; } = 3;

    /// <summary>At a secondary element that allows return: how often to look whether the primary answers again.</summary>
    public int ReturnCheckMilliseconds { get; set; } = 30000;

    /// <summary>False for devices that cannot store a PIN (IP consoles): they rely on a reservation.</summary>
    public bool HasPinMemory { get; set; } = true;

    /// <summary>The call-control protocol: the bench protocol, or SIP (docs/sip.md).</summary>
    public CallControl CallControl { get; set; } = CallControl.Bench;

    /// <summary>SIP: the transport code (1 UDP, 2 TCP, 4 TLS), or 0 for what the files say ("sip transport protocol", else UDP).</summary>
    public int SipTransportCode { get; set; }

    /// <summary>SIP: the model, for &lt;model&gt;.cfg.</summary>
    public string SipModel { get; set; } = "6867i";

    /// <summary>SIP: the local port of the line's socket (0: any free one).</summary>
    public int SipLocalPort { get; set; } = 5060;
}
