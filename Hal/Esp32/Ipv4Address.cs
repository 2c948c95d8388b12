using System.Net;

namespace Hal.Esp32;

/// <summary>
/// Converts the Hal's IPv4 form (uint, host order: 10.0.0.1 = 0x0A000001) to and from
/// nanoFramework's <see cref="IPAddress"/> and dotted text. Byte arrays are used on both sides
/// so that no assumption about IPAddress's internal long layout is needed.
/// </summary>
internal static class Ipv4Address
{
    public static IPAddress ToIPAddress(uint address)
    {
        return new IPAddress(new byte[] { (byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address });
    }

    public static uint FromIPAddress(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length != 4)
        {
            return 0;
        }

        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    public static string Format(uint address)
    {
        return ((address >> 24) & 0xFF).ToString() + "." + ((address >> 16) & 0xFF).ToString() + "."
            + ((address >> 8) & 0xFF).ToString() + "." + (address & 0xFF).ToString();
    }
}
