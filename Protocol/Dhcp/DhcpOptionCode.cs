namespace Protocol.Dhcp;

/// <summary>The option codes this project reads or writes (RFC 2132, RFC 3925, vendor legacy 128–135).</summary>
public static class DhcpOptionCode
{
    public const byte Pad = 0;
    public const byte SubnetMask = 1;
    public const byte Router = 3;
    public const byte DomainNameServer = 6;
    public const byte HostName = 12;
    public const byte VendorSpecific = 43;
    public const byte RequestedAddress = 50;
    public const byte LeaseTime = 51;
    public const byte Overload = 52;
    public const byte MessageType = 53;
    public const byte ServerIdentifier = 54;
    public const byte ParameterRequestList = 55;
    public const byte Message = 56;
    public const byte MaximumMessageSize = 57;
    public const byte RenewalTime = 58;
    public const byte RebindingTime = 59;
    public const byte VendorClassIdentifier = 60;
    public const byte ClientIdentifier = 61;
    public const byte VendorIdentifyingVendorSpecific = 125;

    /// <summary>Legacy vendor options: 128 TFTP server, 129 call server, 130 identifier, 131–135 as the tags.</summary>
    public const byte LegacyTftpServer = 128;
    public const byte LegacyCallServer = 129;
    public const byte LegacyIdentifier = 130;
    public const byte LegacyIpaServer = 131;
    public const byte LegacyVlan = 132;
    public const byte LegacyPriority = 133;
    public const byte LegacyDscp = 134;
    public const byte LegacyAppProxy = 135;
    public const byte End = 255;
}
