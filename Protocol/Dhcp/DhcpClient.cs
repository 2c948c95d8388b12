using System.Collections;
using Protocol.Common;

namespace Protocol.Dhcp;

/// <summary>
/// The phone's DHCP client, sans-IO (RFC 2131 §4.4): it takes received datagrams and the time,
/// and hands back datagrams to send, events, and the next deadline. Offers without a usable
/// phone configuration are rejected and the client waits for another. Retransmissions back off
/// 4, 8, 16, 32, 64 s with ±1 s of jitter.
/// </summary>
public sealed class DhcpClient
{
    /// <summary>REQUESTs sent (the first and its retransmissions) before the client starts over with DISCOVER.</summary>
    public const int RequestAttempts = 4;

    private const long FirstRetransmitMs = 4000;
    private const long LastRetransmitMs = 64000;
    private const long MinimumRenewRetryMs = 60000;

    private static readonly byte[] RequestedParameters = new byte[]
    {
        DhcpOptionCode.SubnetMask, DhcpOptionCode.Router, DhcpOptionCode.DomainNameServer,
        DhcpOptionCode.LeaseTime, DhcpOptionCode.ServerIdentifier, DhcpOptionCode.RenewalTime,
        DhcpOptionCode.RebindingTime, DhcpOptionCode.VendorSpecific, DhcpOptionCode.VendorIdentifyingVendorSpecific,
        DhcpOptionCode.LegacyTftpServer, DhcpOptionCode.LegacyCallServer, DhcpOptionCode.LegacyIdentifier,
        DhcpOptionCode.LegacyIpaServer, DhcpOptionCode.LegacyVlan, DhcpOptionCode.LegacyPriority,
        DhcpOptionCode.LegacyDscp, DhcpOptionCode.LegacyAppProxy,
    };

    private readonly byte[] _mac;
    private readonly IRandomSource _random;
    private readonly DatagramQueue _outgoing = new DatagramQueue();
    private readonly ArrayList _events = new ArrayList();
    private uint _transactionId;
    private long _exchangeStartedAt;
    private long _renewalSentAt;
    private long _retransmitInterval;
    private int _attempts;
    private int _offersThisExchange;
    private uint _offeredAddress;
    private uint _offeringServer;
    private IpPhoneConfig? _offeredConfig;
    private long _timer = Deadline.None;
    private uint _lastBoundAddress;

    public DhcpClient(byte[] mac, IRandomSource random)
    {
        if (mac == null || mac.Length != 6)
        {
            throw new System.ArgumentException("a 6-byte MAC is required");
        }

        _mac = mac;
        _random = random;
    }

    public DhcpClientState State { get; private set; } = DhcpClientState.Stopped;

    /// <summary>The bound lease, or null before the first ACK and after expiry.</summary>
    public DhcpLease? Lease { get; private set; }

    /// <summary>When <see cref="Poll"/> next has work to do.</summary>
    public long NextDeadline => _outgoing.Count > 0 ? long.MinValue : _timer;

    /// <summary>Starts an exchange: INIT-REBOOT for a remembered address, INIT otherwise.</summary>
    public void Start(long now, uint rememberedAddress)
    {
        Lease = null;
        if (rememberedAddress != 0)
        {
            BeginExchange(now);
            _offeredAddress = rememberedAddress;
            _offeringServer = 0;
            State = DhcpClientState.Rebooting;
            SendRequest(now);
        }
        else
        {
            Discover(now);
        }
    }

    public DhcpClientEvent? PollEvent()
    {
        if (_events.Count == 0)
        {
            return null;
        }

        DhcpClientEvent next = (DhcpClientEvent)_events[0]!;
        _events.RemoveAt(0);
        return next;
    }

    /// <summary>The next datagram to send, after firing any timer that is due; null when none.</summary>
    public DhcpDatagram? Poll(long now)
    {
        if (_outgoing.Count == 0 && now >= _timer)
        {
            OnTimer(now);
        }

        return (DhcpDatagram?)_outgoing.Take();
    }

    /// <summary>Takes one received datagram. Anything malformed or not for this exchange is ignored.</summary>
    public void OnReceive(byte[] data, int offset, int count, long now)
    {
        DhcpMessage reply;
        try
        {
            reply = DhcpMessage.Parse(data, offset, count);
        }
        catch (ProtocolParseException)
        {
            return;
        }

        if (reply.Op != DhcpMessage.BootReply || reply.TransactionId != _transactionId || !reply.IsFor(_mac))
        {
            return;
        }

        DhcpMessageType type = reply.MessageType;
        if (type == DhcpMessageType.Offer && State == DhcpClientState.Selecting)
        {
            OnOffer(reply, now);
        }
        else if (type == DhcpMessageType.Ack && IsAwaitingAck())
        {
            OnAck(reply, now);
        }
        else if (type == DhcpMessageType.Nak && IsAwaitingAck())
        {
            byte[]? text = reply.Options.Get(DhcpOptionCode.Message);
            _events.Add(new DhcpClientEvent(DhcpClientEventKind.Nak, 0, text == null ? string.Empty : Ascii.GetLenientString(text, 0, text.Length)));
            Lease = null;
            Discover(now);
        }
    }

    /// <summary>DHCPRELEASE for the current lease; the client stops.</summary>
    public DhcpDatagram Release(long now)
    {
        DhcpMessage message = NewMessage(DhcpMessageType.Release, now);
        DhcpLease lease = Lease!;
        message.ClientAddress = lease.Address;
        message.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, lease.ServerIdentifier);
        Lease = null;
        State = DhcpClientState.Stopped;
        _timer = Deadline.None;
        return new DhcpDatagram(message.Encode(), lease.ServerIdentifier);
    }

    private bool IsAwaitingAck()
    {
        return State == DhcpClientState.Requesting || State == DhcpClientState.Rebooting
            || State == DhcpClientState.Renewing || State == DhcpClientState.Rebinding;
    }

    private void OnOffer(DhcpMessage offer, long now)
    {
        _offersThisExchange++;
        uint server = offer.Options.GetUInt32(DhcpOptionCode.ServerIdentifier, 0);
        string reason;
        IpPhoneConfig? config = PhoneConfigOptions.Find(offer.Options, out reason);
        if (offer.YourAddress == 0 || server == 0)
        {
            config = null;
            reason = "offer without an address or server identifier";
        }

        if (config == null)
        {
            _events.Add(new DhcpClientEvent(DhcpClientEventKind.OfferRejected, _offersThisExchange, reason));
            return;
        }

        _offeredAddress = offer.YourAddress;
        _offeringServer = server;
        _offeredConfig = config;
        State = DhcpClientState.Requesting;
        _attempts = 0;
        _retransmitInterval = FirstRetransmitMs;
        SendRequest(now);
    }

    private void OnAck(DhcpMessage ack, long now)
    {
        string reason;
        IpPhoneConfig? config = PhoneConfigOptions.Find(ack.Options, out reason);
        if (config == null)
        {
            // Servers may leave vendor options out of the ACK; the offer's configuration stands.
            config = _offeredConfig != null ? _offeredConfig : (Lease != null ? Lease.PhoneConfig : null);
        }

        if (config == null || ack.YourAddress == 0)
        {
            _events.Add(new DhcpClientEvent(DhcpClientEventKind.OfferRejected, _offersThisExchange, config == null ? reason : "ACK without an address"));
            Discover(now);
            return;
        }

        bool renewal = State == DhcpClientState.Renewing || State == DhcpClientState.Rebinding;
        DhcpClientEventKind kind = State == DhcpClientState.Renewing ? DhcpClientEventKind.Renewed
            : (State == DhcpClientState.Rebinding ? DhcpClientEventKind.Rebound : DhcpClientEventKind.Bound);
        string how = kind != DhcpClientEventKind.Bound ? string.Empty : (State == DhcpClientState.Rebooting ? "init-reboot" : "discover");
        DhcpLease lease = new DhcpLease();
        lease.Address = ack.YourAddress;
        lease.SubnetMask = ack.Options.GetUInt32(DhcpOptionCode.SubnetMask, 0xFFFFFF00);
        uint[] routers = ack.Options.GetAddresses(DhcpOptionCode.Router);
        lease.Router = routers.Length > 0 ? routers[0] : 0;
        lease.DnsServers = ack.Options.GetAddresses(DhcpOptionCode.DomainNameServer);
        lease.ServerIdentifier = ack.Options.GetUInt32(DhcpOptionCode.ServerIdentifier, _offeringServer);
        lease.LeaseSeconds = ack.Options.GetUInt32(DhcpOptionCode.LeaseTime, 3600);
        lease.RenewalSeconds = ack.Options.GetUInt32(DhcpOptionCode.RenewalTime, (uint)(lease.LeaseSeconds / 2));
        lease.RebindingSeconds = ack.Options.GetUInt32(DhcpOptionCode.RebindingTime, (uint)(lease.LeaseSeconds * 7 / 8));
        if (lease.RebindingSeconds > lease.LeaseSeconds)
        {
            lease.RebindingSeconds = lease.LeaseSeconds * 7 / 8;
        }

        if (lease.RenewalSeconds > lease.RebindingSeconds)
        {
            lease.RenewalSeconds = lease.RebindingSeconds / 2;
        }

        // A renewal exchange can last from T1 to expiry: its lease runs from the request the server
        // answered (the latest one), else a short lease granted late would already be over.
        lease.AcquiredAt = renewal ? _renewalSentAt : _exchangeStartedAt;
        lease.PhoneConfig = config;
        Lease = lease;
        _lastBoundAddress = lease.Address;
        State = DhcpClientState.Bound;
        _timer = lease.LeaseSeconds == uint.MaxValue ? Deadline.None : lease.AcquiredAt + (lease.RenewalSeconds * 1000);
        _events.Add(new DhcpClientEvent(kind, 0, how));
    }

    private void OnTimer(long now)
    {
        switch (State)
        {
            case DhcpClientState.Selecting:
                SendDiscover(now);
                break;
            case DhcpClientState.Requesting:
            case DhcpClientState.Rebooting:
                if (_attempts >= RequestAttempts)
                {
                    Discover(now);
                }
                else
                {
                    SendRequest(now);
                }

                break;
            case DhcpClientState.Bound:
                BeginExchange(now);
                State = DhcpClientState.Renewing;
                SendRenewal(now);
                break;
            case DhcpClientState.Renewing:
            case DhcpClientState.Rebinding:
                DhcpLease lease = Lease!;
                long expiry = lease.AcquiredAt + (lease.LeaseSeconds * 1000);
                long rebind = lease.AcquiredAt + (lease.RebindingSeconds * 1000);
                if (now >= expiry)
                {
                    Lease = null;
                    _events.Add(new DhcpClientEvent(DhcpClientEventKind.LeaseExpired, 0, string.Empty));
                    Discover(now);
                }
                else
                {
                    if (now >= rebind)
                    {
                        State = DhcpClientState.Rebinding;
                    }

                    SendRenewal(now);
                }

                break;
            default:
                _timer = Deadline.None;
                break;
        }
    }

    private void Discover(long now)
    {
        BeginExchange(now);
        _offeredConfig = null;
        _offeredAddress = 0;
        _offeringServer = 0;
        State = DhcpClientState.Selecting;
        SendDiscover(now);
    }

    private void BeginExchange(long now)
    {
        _transactionId = _random.NextUInt32();
        _exchangeStartedAt = now;
        _offersThisExchange = 0;
        _attempts = 0;
        _retransmitInterval = FirstRetransmitMs;
    }

    private void SendDiscover(long now)
    {
        DhcpMessage message = NewMessage(DhcpMessageType.Discover, now);
        if (_lastBoundAddress != 0)
        {
            // RFC 2131 §4.4.1: the client may suggest the address it last had.
            message.Options.SetUInt32(DhcpOptionCode.RequestedAddress, _lastBoundAddress);
        }

        Queue(message, Ipv4.Broadcast);
        ScheduleRetransmit(now);
    }

    private void SendRequest(long now)
    {
        DhcpMessage message = NewMessage(DhcpMessageType.Request, now);
        message.Options.SetUInt32(DhcpOptionCode.RequestedAddress, _offeredAddress);
        if (_offeringServer != 0)
        {
            message.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, _offeringServer);
        }

        Queue(message, Ipv4.Broadcast);
        _attempts++;
        ScheduleRetransmit(now);
    }

    // RENEWING unicasts to the server, REBINDING broadcasts; both carry ciaddr and no server id.
    private void SendRenewal(long now)
    {
        DhcpLease lease = Lease!;
        DhcpMessage message = NewMessage(DhcpMessageType.Request, now);
        message.ClientAddress = lease.Address;
        message.Flags = 0; // bound: the address is configured, unicast replies arrive
        Queue(message, State == DhcpClientState.Renewing ? lease.ServerIdentifier : Ipv4.Broadcast);
        _renewalSentAt = now;

        // RFC 2131 §4.4.5: wait half the time left to T2 (or to expiry), at least 60 s.
        long limit = lease.AcquiredAt + ((State == DhcpClientState.Renewing ? lease.RebindingSeconds : lease.LeaseSeconds) * 1000);
        long wait = (limit - now) / 2;
        if (wait < MinimumRenewRetryMs)
        {
            wait = MinimumRenewRetryMs;
        }

        long expiry = lease.AcquiredAt + (lease.LeaseSeconds * 1000);
        _timer = now + wait < limit ? now + wait : limit;
        if (_timer > expiry)
        {
            _timer = expiry;
        }

        if (_timer <= now)
        {
            _timer = now + 1;
        }
    }

    private void ScheduleRetransmit(long now)
    {
        long jitter = _random.Next(2001) - 1000;
        _timer = now + _retransmitInterval + jitter;
        if (_retransmitInterval < LastRetransmitMs)
        {
            _retransmitInterval *= 2;
        }
    }

    private DhcpMessage NewMessage(DhcpMessageType type, long now)
    {
        DhcpMessage message = new DhcpMessage();
        message.Op = DhcpMessage.BootRequest;
        message.TransactionId = _transactionId;
        long seconds = (now - _exchangeStartedAt) / 1000;
        message.Seconds = seconds > 0xFFFF ? 0xFFFF : (int)seconds;
        message.ClientHardwareAddress = _mac;
        message.MessageType = type;

        // RFC 2131 §4.1: a client that cannot yet receive unicast (no address configured) asks for
        // broadcast replies; many IP stacks drop a unicast OFFER to an address they do not have.
        if (type == DhcpMessageType.Discover || type == DhcpMessageType.Request)
        {
            message.Flags = DhcpMessage.BroadcastFlag;
        }

        byte[] clientId = new byte[7];
        clientId[0] = 1;
        System.Array.Copy(_mac, 0, clientId, 1, 6);
        message.Options.Set(DhcpOptionCode.ClientIdentifier, clientId);
        if (type != DhcpMessageType.Release && type != DhcpMessageType.Decline)
        {
            message.Options.Set(DhcpOptionCode.MaximumMessageSize, new byte[] { 0x05, 0xDC });
            message.Options.SetString(DhcpOptionCode.VendorClassIdentifier, PhoneConfigOptions.VendorClass);
            message.Options.Set(DhcpOptionCode.ParameterRequestList, RequestedParameters);
        }

        return message;
    }

    private void Queue(DhcpMessage message, uint destination)
    {
        _outgoing.Add(new DhcpDatagram(message.Encode(), destination));
    }
}
