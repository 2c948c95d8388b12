using System.Net;

namespace Hal.Host;

/// <summary>Conversions between the portable uint addresses (host order) and System.Net.</summary>
public static class HostAddresses
{
    public static IPAddress ToIPAddress(uint address)
    {
        return new IPAddress(new[] { (byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address });
    }

    public static uint FromIPAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        byte[] b = address.GetAddressBytes();
        return b.Length != 4 ? 0 : ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}
