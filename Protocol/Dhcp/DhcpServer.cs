using Protocol.Common;

namespace Protocol.Dhcp;

/// <summary>
/// The bench controller's DHCP server, sans-IO (RFC 2131 §4.3): one request in, at most one reply
/// out. It hands out addresses from a pool (reservations first), remembers leases in an
/// <see cref="IDhcpLeaseStore"/>, and puts the phone configuration in option 125.
/// Each request costs a few lease-table lookups, independent of the pool's size: the pool is
/// scanned from a cursor (below it everything was held when last looked at), a pool found full is
/// not scanned again before its first holding expires, and pending offers are bounded
/// (<see cref="DhcpServerConfig.PendingOfferLimit"/>).
/// </summary>
public sealed class DhcpServer
{
    private readonly DhcpServerConfig _config;
    private readonly IDhcpLeaseStore _leases;
    private readonly byte[]? _option125;
    private readonly PendingOfferQueue _pendingOffers;

    /// <summary>A repeated DISCOVER renews its client's offer (a new pending-offer place) once the offer is this old.</summary>
    public const long RenewOfferAfterMs = 1000;

    // The pool scan starts here; addresses below it were held when the scan last passed them.
    private uint _scanFrom;

    // After a scan found the pool full: no address frees by expiry before _exhaustedUntil.
    private bool _exhausted;
    private long _exhaustedUntil;

    public DhcpServer(DhcpServerConfig config, IDhcpLeaseStore leases)
    {
        if (config.PoolEnd < config.PoolStart)
        {
            throw new System.ArgumentException("the pool ends before it starts");
        }

        _config = config;
        _leases = leases;
        _option125 = config.PhoneConfigString.Length > 0 ? PhoneConfigOptions.BuildOption125(config.PhoneConfigString, config.Option125Encoding) : null;
        _pendingOffers = new PendingOfferQueue(config.PendingOfferLimit);
        _scanFrom = config.PoolStart;
    }

    /// <summary>Offers withdrawn unclaimed because <see cref="DhcpServerConfig.PendingOfferLimit"/> newer ones were made.</summary>
    public long WithdrawnOffers { get; private set; }

    /// <summary>Why the last request got no reply (empty when it got one); for the host's log.</summary>
    public string LastDropReason { get; private set; } = string.Empty;

    /// <summary>Handles one request; returns the reply, or null when the request gets none.</summary>
    public DhcpDatagram? Handle(byte[] data, int offset, int count, long now)
    {
        DhcpMessage request;
        try
        {
            request = DhcpMessage.Parse(data, offset, count);
        }
        catch (ProtocolParseException e)
        {
            return Drop("malformed: " + e.Message);
        }

        if (request.Op != DhcpMessage.BootRequest || request.ClientHardwareAddress.Length != 6)
        {
            return Drop("not an Ethernet BOOTREQUEST");
        }

        string client = ClientKey(request.ClientHardwareAddress);
        LastDropReason = string.Empty;
        switch (request.MessageType)
        {
            case DhcpMessageType.Discover:
                return OnDiscover(request, client, now);
            case DhcpMessageType.Request:
                return OnRequest(request, client, now);
            case DhcpMessageType.Release:
                DhcpLeaseRecord? released = _leases.FindByClient(client);
                if (released != null && released.Address == request.ClientAddress)
                {
                    RemoveRecord(released);
                }

                return Drop("release");
            case DhcpMessageType.Decline:
                uint declined = request.Options.GetUInt32(DhcpOptionCode.RequestedAddress, 0);
                DhcpLeaseRecord? held = _leases.FindByClient(client);
                if (held != null && held.Address == declined)
                {
                    RemoveRecord(held);
                    _leases.Save(new DhcpLeaseRecord { ClientKey = "declined:" + Ipv4.Format(declined), Address = declined, ExpiresAt = now + (_config.DeclineHoldSeconds * 1000L), State = DhcpLeaseState.Declined });
                }

                return Drop("decline");
            case DhcpMessageType.Inform:
                DhcpMessage inform = Reply(request, DhcpMessageType.Ack, 0);
                return new DhcpDatagram(inform.Encode(), request.ClientAddress != 0 ? request.ClientAddress : Ipv4.Broadcast);
            default:
                return Drop("no or unknown message type");
        }
    }

    /// <summary>The key a client's lease is stored under: its MAC as <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public static string ClientKey(byte[] mac)
    {
        return MacAddress.Format(mac);
    }

    private DhcpDatagram? OnDiscover(DhcpMessage request, string client, long now)
    {
        // A repeated DISCOVER while the client's offer (or lease) stands is offered the same
        // address; it takes a new pending-offer place only when that offer is a second old (its hold
        // is then renewed and moves to the back of the queue), so one MAC's flood takes one place
        // a second and cannot push other clients' offers out, and is not withdrawn itself.
        if (!HoldsAddress(_leases.FindByClient(client), now) && _pendingOffers.IsFull)
        {
            WithdrawOldestOffer();
        }

        uint address = ChooseAddress(request, client, now);
        if (address == 0)
        {
            return Drop("pool exhausted");
        }

        long expiresAt = now + (_config.OfferHoldSeconds * 1000L);
        DhcpLeaseRecord? existing = _leases.FindByClient(client);
        bool keepHolding = HoldsAddress(existing, now) && existing!.Address == address
            && (existing.State == DhcpLeaseState.Bound || expiresAt - existing.ExpiresAt < RenewOfferAfterMs);
        if (!keepHolding)
        {
            if (_pendingOffers.IsFull)
            {
                WithdrawOldestOffer();
            }

            SaveRecord(existing, client, address, expiresAt, DhcpLeaseState.Offered);
            _pendingOffers.Add(address, expiresAt);
        }

        return Send(request, Reply(request, DhcpMessageType.Offer, address));
    }

    // An unexpired lease or offer: the same address is offered again.
    private static bool HoldsAddress(DhcpLeaseRecord? record, long now)
    {
        return record != null && record.ExpiresAt > now && (record.State == DhcpLeaseState.Bound || record.State == DhcpLeaseState.Offered);
    }

    private DhcpDatagram? OnRequest(DhcpMessage request, string client, long now)
    {
        uint serverId = request.Options.GetUInt32(DhcpOptionCode.ServerIdentifier, 0);
        uint requested = request.Options.GetUInt32(DhcpOptionCode.RequestedAddress, 0);
        DhcpLeaseRecord? record = _leases.FindByClient(client);
        if (serverId != 0)
        {
            // SELECTING: the client answers one server's offer; others drop what they held.
            if (serverId != _config.ServerAddress)
            {
                if (record != null && record.State == DhcpLeaseState.Offered)
                {
                    RemoveRecord(record);
                }

                return Drop("client chose another server");
            }

            bool offered = record != null && record.Address == requested;
            if (requested == 0 || (!offered && !WouldOffer(record, client, requested, now)))
            {
                return Nak(request, "no offer of that address to this client");
            }

            return Bind(request, record, client, requested, now);
        }

        if (request.ClientAddress == 0)
        {
            // INIT-REBOOT: confirm a remembered address; stay silent about clients we never knew.
            if (record == null)
            {
                return Drop("init-reboot from an unknown client");
            }

            if (record.Address != requested || !InPool(requested, client))
            {
                return Nak(request, "address not valid for this client");
            }

            return Bind(request, record, client, requested, now);
        }

        // RENEWING / REBINDING.
        if (record == null)
        {
            return Drop("renewal from an unknown client");
        }

        if (record.Address != request.ClientAddress || record.State == DhcpLeaseState.Declined)
        {
            return Nak(request, "lease belongs to another address");
        }

        return Bind(request, record, client, request.ClientAddress, now);
    }

    private DhcpDatagram Bind(DhcpMessage request, DhcpLeaseRecord? record, string client, uint address, long now)
    {
        SaveRecord(record, client, address, now + (_config.LeaseSeconds * 1000L), DhcpLeaseState.Bound);
        return Send(request, Reply(request, DhcpMessageType.Ack, address));
    }

    private DhcpDatagram Nak(DhcpMessage request, string why)
    {
        DhcpMessage nak = new DhcpMessage();
        nak.Op = DhcpMessage.BootReply;
        nak.TransactionId = request.TransactionId;
        nak.ClientHardwareAddress = request.ClientHardwareAddress;
        nak.RelayAddress = request.RelayAddress;
        nak.Flags = request.Flags;
        nak.MessageType = DhcpMessageType.Nak;
        nak.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, _config.ServerAddress);
        nak.Options.SetString(DhcpOptionCode.Message, why);
        return new DhcpDatagram(nak.Encode(), Ipv4.Broadcast);
    }

    private uint ChooseAddress(DhcpMessage request, string client, long now)
    {
        uint reserved = _config.ReservedAddress(client);
        if (reserved != 0)
        {
            return IsFree(reserved, client, now) ? reserved : 0;
        }

        DhcpLeaseRecord? existing = _leases.FindByClient(client);
        if (existing != null && InPool(existing.Address, client) && IsFree(existing.Address, client, now))
        {
            return existing.Address;
        }

        uint requested = request.Options.GetUInt32(DhcpOptionCode.RequestedAddress, 0);
        if (requested != 0 && InPool(requested, client) && IsFree(requested, client, now))
        {
            return requested;
        }

        return ScanPool(client, now);
    }

    // The first free address from the cursor on, wrapping round once. A full pool is remembered
    // until its first holding expires or the server frees an address, so a flood against a full
    // pool costs one comparison per DISCOVER, not a scan.
    private uint ScanPool(string client, long now)
    {
        if (_exhausted && now < _exhaustedUntil)
        {
            return 0;
        }

        ulong size = (ulong)_config.PoolEnd - _config.PoolStart + 1;
        uint address = _scanFrom;
        long earliestExpiry = long.MaxValue;
        for (ulong scanned = 0; scanned < size; scanned++)
        {
            if (address != 0 && address != _config.ServerAddress && !_config.IsReservedForOther(address, client))
            {
                DhcpLeaseRecord? holder = _leases.FindByAddress(address);
                if (holder == null || holder.ClientKey == client || holder.ExpiresAt <= now)
                {
                    if (holder != null && holder.ClientKey != client)
                    {
                        _leases.Remove(holder.ClientKey);
                    }

                    _scanFrom = address;
                    _exhausted = false;
                    return address;
                }

                if (holder.ExpiresAt < earliestExpiry)
                {
                    earliestExpiry = holder.ExpiresAt;
                }
            }

            address = address == _config.PoolEnd ? _config.PoolStart : address + 1;
        }

        // Whatever frees next frees by expiry, anywhere: the next scan starts from the bottom.
        _exhausted = true;
        _exhaustedUntil = earliestExpiry;
        _scanFrom = _config.PoolStart;
        return 0;
    }

    // The oldest offer falls out of the bounded queue: withdraw it if the client has not taken it
    // up (the table still holds that very offer). The cursor stays where it is, so the address is
    // offered again only when the scan wraps to it, once the rest of the pool is taken: in a boot
    // storm past the limit the client's REQUEST still finds it free and is ACKed (WouldOffer).
    private void WithdrawOldestOffer()
    {
        long expiresAt;
        uint address = _pendingOffers.TakeOldest(out expiresAt);
        DhcpLeaseRecord? holder = _leases.FindByAddress(address);
        if (holder != null && holder.State == DhcpLeaseState.Offered && holder.ExpiresAt == expiresAt)
        {
            _leases.Remove(holder.ClientKey);
            WithdrawnOffers++;
        }
    }

    // A REQUEST for an address this client holds no offer of (its offer was withdrawn at the
    // pending-offer limit, or lost in a restart, or a repeated DISCOVER crossed it and got another)
    // is ACKed when the server would offer it that address now (RFC 2131 lets a server do so; Kea
    // does): the client has no lease elsewhere, and the address is in the pool for it (or is its
    // reservation) and free. Another offer the client held is given up by the binding.
    private bool WouldOffer(DhcpLeaseRecord? record, string client, uint address, long now)
    {
        if (record != null && record.State == DhcpLeaseState.Bound && record.ExpiresAt > now)
        {
            return false;
        }

        uint reserved = _config.ReservedAddress(client);
        return (reserved != 0 ? address == reserved : InPool(address, client)) && IsFree(address, client, now);
    }

    private void SaveRecord(DhcpLeaseRecord? previous, string client, uint address, long expiresAt, DhcpLeaseState state)
    {
        if (previous != null && previous.Address != address)
        {
            Freed(previous.Address);
        }

        _leases.Save(new DhcpLeaseRecord { ClientKey = client, Address = address, ExpiresAt = expiresAt, State = state });
    }

    private void RemoveRecord(DhcpLeaseRecord record)
    {
        _leases.Remove(record.ClientKey);
        Freed(record.Address);
    }

    // An address came free: the scan must see it again.
    private void Freed(uint address)
    {
        if (address >= _config.PoolStart && address < _scanFrom)
        {
            _scanFrom = address;
        }

        _exhausted = false;
    }

    // Free: nobody holds it, the client itself holds it, or another holding has expired (then it is taken back).
    private bool IsFree(uint address, string client, long now)
    {
        DhcpLeaseRecord? holder = _leases.FindByAddress(address);
        if (holder == null || holder.ClientKey == client)
        {
            return true;
        }

        if (holder.ExpiresAt <= now)
        {
            RemoveRecord(holder);
            return true;
        }

        return false;
    }

    private bool InPool(uint address, string client)
    {
        if (_config.ReservedAddress(client) == address)
        {
            return true;
        }

        return address >= _config.PoolStart && address <= _config.PoolEnd && address != _config.ServerAddress && !_config.IsReservedForOther(address, client);
    }

    private DhcpMessage Reply(DhcpMessage request, DhcpMessageType type, uint address)
    {
        DhcpMessage reply = new DhcpMessage();
        reply.Op = DhcpMessage.BootReply;
        reply.TransactionId = request.TransactionId;
        reply.Flags = request.Flags;
        reply.RelayAddress = request.RelayAddress;
        reply.ClientAddress = type == DhcpMessageType.Ack && request.ClientAddress != 0 ? request.ClientAddress : 0;
        reply.YourAddress = address;
        reply.NextServerAddress = _config.ServerAddress;
        reply.HardwareType = request.HardwareType;
        reply.ClientHardwareAddress = request.ClientHardwareAddress;
        reply.MessageType = type;
        reply.Options.SetUInt32(DhcpOptionCode.ServerIdentifier, _config.ServerAddress);
        if (address != 0)
        {
            reply.Options.SetUInt32(DhcpOptionCode.LeaseTime, _config.LeaseSeconds);
            reply.Options.SetUInt32(DhcpOptionCode.RenewalTime, _config.LeaseSeconds / 2);
            reply.Options.SetUInt32(DhcpOptionCode.RebindingTime, (uint)((ulong)_config.LeaseSeconds * 7 / 8));
        }

        reply.Options.SetUInt32(DhcpOptionCode.SubnetMask, _config.SubnetMask);
        if (_config.Router != 0)
        {
            reply.Options.SetAddresses(DhcpOptionCode.Router, new uint[] { _config.Router });
        }

        if (_config.DnsServers.Length > 0)
        {
            reply.Options.SetAddresses(DhcpOptionCode.DomainNameServer, _config.DnsServers);
        }

        if (_option125 != null)
        {
            reply.Options.Set(DhcpOptionCode.VendorIdentifyingVendorSpecific, _option125);
        }

        return reply;
    }

    // RFC 2131 §4.1: via the relay, to a client that has an address, or broadcast.
    private static DhcpDatagram Send(DhcpMessage request, DhcpMessage reply)
    {
        uint destination = request.RelayAddress != 0 ? request.RelayAddress : (request.ClientAddress != 0 ? request.ClientAddress : Ipv4.Broadcast);
        return new DhcpDatagram(reply.Encode(), destination);
    }

    private DhcpDatagram? Drop(string reason)
    {
        LastDropReason = reason;
        return null;
    }
}
