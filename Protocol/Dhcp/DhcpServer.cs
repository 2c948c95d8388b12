using Protocol.Common;

namespace Protocol.Dhcp;

/// <summary>
/// The bench controller's DHCP server, sans-IO (RFC 2131 §4.3): one request in, at most one reply
/// out. It hands out addresses from a pool (reservations first), remembers leases in an
/// <see cref="IDhcpLeaseStore"/>, and puts the phone configuration in option 125.
/// </summary>
public sealed class DhcpServer
{
    private readonly DhcpServerConfig _config;
    private readonly IDhcpLeaseStore _leases;
    private readonly byte[]? _option125;

    public DhcpServer(DhcpServerConfig config, IDhcpLeaseStore leases)
    {
        if (config.PoolEnd < config.PoolStart)
        {
            throw new System.ArgumentException("the pool ends before it starts");
        }

        _config = config;
        _leases = leases;
        _option125 = config.PhoneConfigString.Length > 0 ? PhoneConfigOptions.BuildOption125(config.PhoneConfigString, config.Option125Encoding) : null;
    }

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
                    _leases.Remove(client);
                }

                return Drop("release");
            case DhcpMessageType.Decline:
                uint declined = request.Options.GetUInt32(DhcpOptionCode.RequestedAddress, 0);
                DhcpLeaseRecord? held = _leases.FindByClient(client);
                if (held != null && held.Address == declined)
                {
                    _leases.Remove(client);
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
        uint address = ChooseAddress(request, client, now);
        if (address == 0)
        {
            return Drop("pool exhausted");
        }

        DhcpLeaseRecord? existing = _leases.FindByClient(client);
        bool keepBound = existing != null && existing.Address == address && existing.State == DhcpLeaseState.Bound && existing.ExpiresAt > now;
        if (!keepBound)
        {
            _leases.Save(new DhcpLeaseRecord { ClientKey = client, Address = address, ExpiresAt = now + (_config.OfferHoldSeconds * 1000L), State = DhcpLeaseState.Offered });
        }

        return Send(request, Reply(request, DhcpMessageType.Offer, address));
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
                    _leases.Remove(client);
                }

                return Drop("client chose another server");
            }

            if (record == null || record.Address != requested || requested == 0)
            {
                return Nak(request, "no offer of that address to this client");
            }

            return Bind(request, client, requested, now);
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

            return Bind(request, client, requested, now);
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

        return Bind(request, client, request.ClientAddress, now);
    }

    private DhcpDatagram Bind(DhcpMessage request, string client, uint address, long now)
    {
        _leases.Save(new DhcpLeaseRecord { ClientKey = client, Address = address, ExpiresAt = now + (_config.LeaseSeconds * 1000L), State = DhcpLeaseState.Bound });
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
        LastDropReason = string.Empty;
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

        for (uint address = _config.PoolStart; address <= _config.PoolEnd && address != 0; address++)
        {
            if (address != _config.ServerAddress && !_config.IsReservedForOther(address, client) && IsFree(address, client, now))
            {
                return address;
            }

            if (address == uint.MaxValue)
            {
                break;
            }
        }

        return 0;
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
            _leases.Remove(holder.ClientKey);
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
