using System.Collections;

namespace Protocol.Dhcp;

/// <summary>What the bench controller's DHCP server hands out.</summary>
public sealed class DhcpServerConfig
{
    private readonly ArrayList _reservations = new ArrayList();

    public uint ServerAddress { get; set; }

    public uint PoolStart { get; set; }

    public uint PoolEnd { get; set; }

    public uint SubnetMask { get; set; }

    /// <summary>Default gateway, or 0 for none.</summary>
    public uint Router { get; set; }

    public uint[] DnsServers { get; set; } = new uint[0];

    public uint LeaseSeconds { get; set; } = 3600;

    /// <summary>How long an offered address is held for the client that was offered it.</summary>
    public uint OfferHoldSeconds { get; set; } = 60;

    /// <summary>
    /// At most this many offers are pending (offered, not yet requested) at a time; a new offer
    /// beyond it withdraws the oldest. Bounds what a flood of DISCOVERs from random MACs can tie
    /// up: the rest of the pool stays free for real clients.
    /// </summary>
    public int PendingOfferLimit { get; set; } = 4096;

    /// <summary>How long a declined address is kept out of the pool.</summary>
    public uint DeclineHoldSeconds { get; set; } = 600;

    /// <summary>The vendor string for option 125, or empty to send none.</summary>
    public string PhoneConfigString { get; set; } = string.Empty;

    /// <summary>Inside the enterprise-1027 block: 0 (string directly), 1 or 130 (sub-option).</summary>
    public int Option125Encoding { get; set; } = 1;

    public int ReservationCount => _reservations.Count;

    /// <summary>A fixed address for a client (devices with no PIN memory are registered by reservation).</summary>
    public void AddReservation(string clientKey, uint address)
    {
        _reservations.Add(new DhcpLeaseRecord { ClientKey = clientKey, Address = address, State = DhcpLeaseState.Bound });
    }

    /// <summary>The reserved address for the client, or 0.</summary>
    public uint ReservedAddress(string clientKey)
    {
        for (int i = 0; i < _reservations.Count; i++)
        {
            DhcpLeaseRecord reservation = (DhcpLeaseRecord)_reservations[i]!;
            if (reservation.ClientKey == clientKey)
            {
                return reservation.Address;
            }
        }

        return 0;
    }

    /// <summary>True when another client holds a reservation for the address.</summary>
    public bool IsReservedForOther(uint address, string clientKey)
    {
        for (int i = 0; i < _reservations.Count; i++)
        {
            DhcpLeaseRecord reservation = (DhcpLeaseRecord)_reservations[i]!;
            if (reservation.Address == address && reservation.ClientKey != clientKey)
            {
                return true;
            }
        }

        return false;
    }
}
