using System;
using Protocol.Common;

namespace PhoneFirmware.Device;

/// <summary>
/// Randomness for DHCP transaction ids and jitter on the board: nanoFramework's Random, seeded
/// from the MAC and the microsecond timer so that two phones powered up together still differ.
/// </summary>
public sealed class DeviceRandomSource : IRandomSource
{
    private readonly Random _random;

    public DeviceRandomSource(byte[] mac, long microseconds)
    {
        int seed = (int)microseconds;
        for (int i = 0; i < mac.Length; i++)
        {
            seed = (seed * 31) ^ mac[i];
        }

        _random = new Random(seed);
    }

    public uint NextUInt32()
    {
        return ((uint)_random.Next(0x10000) << 16) | (uint)_random.Next(0x10000);
    }

    public int Next(int maxExclusive)
    {
        return _random.Next(maxExclusive);
    }
}
