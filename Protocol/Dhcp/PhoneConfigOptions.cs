using Protocol.Common;

namespace Protocol.Dhcp;

/// <summary>
/// Finds the phone configuration in a DHCP message — option 125 (enterprise 1027), then option 43,
/// then the legacy options 128–135 — and builds option 125 for a server. Inside the enterprise
/// block the string comes three ways: directly, as sub-option 1 (dnsmasq's vi-encap) or as
/// sub-option 130; all three are accepted.
/// </summary>
public static class PhoneConfigOptions
{
    public const uint EnterpriseNumber = 1027;
    public const string VendorClass = "ipphone.mitel.com";
    public const string LegacyIdentifier = "MITEL IP PHONE";

    /// <summary>
    /// The first usable configuration by precedence, or null with <paramref name="reason"/> saying
    /// why none was usable (the phone then rejects the offer).
    /// </summary>
    public static IpPhoneConfig? Find(DhcpOptionList options, out string reason)
    {
        reason = "no option 125, 43 or 128-135";
        byte[]? option125 = options.Get(DhcpOptionCode.VendorIdentifyingVendorSpecific);
        if (option125 != null)
        {
            IpPhoneConfig? config = TryVendorBlock(option125, 125, out reason);
            if (config != null)
            {
                return config;
            }
        }

        byte[]? option43 = options.Get(DhcpOptionCode.VendorSpecific);
        if (option43 != null)
        {
            string reason43;
            IpPhoneConfig? config = TryStringOrSubOption(option43, 0, option43.Length, 43, out reason43);
            if (config != null)
            {
                return config;
            }

            reason = option125 != null ? reason + "; " + reason43 : reason43;
        }

        if (options.Contains(DhcpOptionCode.LegacyCallServer))
        {
            string legacyReason;
            IpPhoneConfig? config = TryLegacy(options, out legacyReason);
            if (config != null)
            {
                return config;
            }

            reason = legacyReason;
        }

        return null;
    }

    /// <summary>
    /// Option 125's value for <paramref name="text"/>: enterprise 1027, then the string directly
    /// (<paramref name="subOption"/> 0) or inside sub-option 1 or 130.
    /// </summary>
    public static byte[] BuildOption125(string text, int subOption)
    {
        if (subOption != 0 && subOption != 1 && subOption != 130)
        {
            throw new System.ArgumentException("sub-option must be 0, 1 or 130");
        }

        byte[] data = Ascii.GetBytes(text);
        int inner = subOption == 0 ? data.Length : data.Length + 2;
        if (data.Length > 250 || inner > 255)
        {
            throw new System.ArgumentException("phone configuration string longer than 250 characters");
        }

        ByteWriter writer = new ByteWriter(inner + 5);
        writer.WriteUInt32(EnterpriseNumber);
        writer.WriteByte(inner);
        if (subOption != 0)
        {
            writer.WriteByte(subOption);
            writer.WriteByte(data.Length);
        }

        writer.WriteBytes(data);
        return writer.ToArray();
    }

    private static IpPhoneConfig? TryVendorBlock(byte[] value, int source, out string reason)
    {
        // RFC 3925: repeated enterprise-number(4) · data-len(1) · data.
        ByteReader reader = new ByteReader(value, 0, value.Length);
        reason = "option 125 has no block for enterprise 1027";
        while (reader.Remaining > 0)
        {
            if (reader.Remaining < 5)
            {
                reason = "option 125 is truncated";
                return null;
            }

            uint enterprise = reader.ReadUInt32();
            int length = reader.ReadByte();
            if (length > reader.Remaining)
            {
                reason = "option 125 block length runs past the option";
                return null;
            }

            if (enterprise == EnterpriseNumber)
            {
                return TryStringOrSubOption(value, reader.Position, length, source, out reason);
            }

            reader.Skip(length);
        }

        return null;
    }

    private static IpPhoneConfig? TryStringOrSubOption(byte[] data, int offset, int count, int source, out string reason)
    {
        if (count >= 3 && data[offset] == (byte)'i' && data[offset + 1] == (byte)'d' && data[offset + 2] == (byte)':')
        {
            return TryParseString(data, offset, count, source, 0, out reason);
        }

        ByteReader reader = new ByteReader(data, offset, count);
        while (reader.Remaining >= 2)
        {
            int code = reader.ReadByte();
            int length = reader.ReadByte();
            if (length > reader.Remaining)
            {
                reason = "option " + source.ToString() + " sub-option " + code.ToString() + " runs past the option";
                return null;
            }

            if (code == 1 || code == 130)
            {
                return TryParseString(data, reader.Position, length, source, code, out reason);
            }

            reader.Skip(length);
        }

        reason = "option " + source.ToString() + " carries no phone configuration string";
        return null;
    }

    private static IpPhoneConfig? TryParseString(byte[] data, int offset, int count, int source, int subOption, out string reason)
    {
        try
        {
            // Some servers append a NUL terminator to the string; it is not part of it.
            while (count > 0 && data[offset + count - 1] == 0)
            {
                count--;
            }

            IpPhoneConfig config = IpPhoneConfigString.Parse(Ascii.GetPrintableString(data, offset, count));
            if (config.CallServers.Length == 0)
            {
                reason = "option " + source.ToString() + " names no call server";
                return null;
            }

            config.SourceOption = source;
            config.SubOption = subOption;
            reason = string.Empty;
            return config;
        }
        catch (ProtocolParseException e)
        {
            reason = "option " + source.ToString() + ": " + e.Message;
            return null;
        }
    }

    private static IpPhoneConfig? TryLegacy(DhcpOptionList options, out string reason)
    {
        byte[]? identifier = options.Get(DhcpOptionCode.LegacyIdentifier);
        if (identifier == null || Ascii.GetLenientString(identifier, 0, identifier.Length) != LegacyIdentifier)
        {
            reason = "legacy options without option 130 \"" + LegacyIdentifier + "\"";
            return null;
        }

        try
        {
            IpPhoneConfig config = new IpPhoneConfig();
            config.CallServers = LegacyServers(options.Get(DhcpOptionCode.LegacyCallServer));
            config.TftpServers = LegacyServers(options.Get(DhcpOptionCode.LegacyTftpServer));
            config.Vlan = LegacyNumber(options.Get(DhcpOptionCode.LegacyVlan), 4095);
            config.Priority = LegacyNumber(options.Get(DhcpOptionCode.LegacyPriority), 7);
            config.Dscp = LegacyNumber(options.Get(DhcpOptionCode.LegacyDscp), 63);
            config.SourceOption = 128;
            if (config.CallServers.Length == 0 || config.CallServers.Length > IpPhoneConfigString.MaximumCallServers)
            {
                reason = "legacy option 129 must name 1 to 4 call servers";
                return null;
            }

            reason = string.Empty;
            return config;
        }
        catch (ProtocolParseException e)
        {
            reason = "legacy options: " + e.Message;
            return null;
        }
    }

    // Legacy address options are either raw IPv4 addresses (multiples of 4 bytes) or text.
    private static ServerEndpoint[] LegacyServers(byte[]? data)
    {
        if (data == null || data.Length == 0)
        {
            return new ServerEndpoint[0];
        }

        // Text always has a '.' (an address or FQDN); four raw bytes may happen to be printable (100.64.100.100).
        if (data.Length % 4 == 0 && !(IsPrintable(data) && ContainsDot(data)))
        {
            ServerEndpoint[] servers = new ServerEndpoint[data.Length / 4];
            for (int i = 0; i < servers.Length; i++)
            {
                uint address = Ipv4.Read(data, i * 4);
                servers[i] = new ServerEndpoint();
                servers[i].Address = address;
                servers[i].Host = Ipv4.Format(address);
            }

            return servers;
        }

        IpPhoneConfig parsed = IpPhoneConfigString.Parse(IpPhoneConfigString.Identifier + ";call_srv=" + Ascii.GetPrintableString(data, 0, data.Length));
        return parsed.CallServers;
    }

    private static int LegacyNumber(byte[]? data, int maximum)
    {
        if (data == null || data.Length == 0)
        {
            return IpPhoneConfig.Absent;
        }

        if (data.Length > 4)
        {
            throw new ProtocolParseException("legacy number longer than 4 bytes");
        }

        uint value = 0;
        for (int i = 0; i < data.Length; i++)
        {
            value = (value << 8) | data[i];
        }

        if (value > (uint)maximum)
        {
            throw new ProtocolParseException("legacy value " + value.ToString() + " above " + maximum.ToString());
        }

        return (int)value;
    }

    private static bool ContainsDot(byte[] data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] == (byte)'.')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPrintable(byte[] data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] < 0x20 || data[i] > 0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
