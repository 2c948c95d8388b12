// Reference-only stub. Transcribed from nanoframework/System.Net@713b02c9fea5:
// nanoFramework.System.Net/NetworkInformation/NetworkInterface.cs, NetworkInterfaceType.cs,
// Wireless80211Configuration.cs, AuthenticationType.cs, NetworkHelper/NetworkHelperStatus.cs (signatures only).
namespace System.Net.NetworkInformation
{
    public class NetworkInterface
    {
        protected NetworkInterface(int interfaceIndex) => throw null;

        public static bool GetIsNetworkAvailable() => throw null;

        public static NetworkInterface[] GetAllNetworkInterfaces() => throw null;

        public void EnableStaticIPv4(string ipv4Address, string ipv4SubnetMask, string ipv4GatewayAddress) => throw null;

        public void EnableDhcp() => throw null;

        public void EnableStaticIPv4Dns(string[] dnsAddresses) => throw null;

        [Obsolete("This method will be removed in a future version. Using automatic DNS it's part of DHCP configuration and can't be used as an individual operation.")]
        public void EnableAutomaticDns() => throw null;

        public string IPv4Address => throw null;

        public string IPv4GatewayAddress => throw null;

        public string IPv4SubnetMask => throw null;

        public bool IsDhcpEnabled => throw null;

        public string[] IPv4DnsAddresses => throw null;

        public void ReleaseDhcpLease() => throw null;

        public void RenewDhcpLease() => throw null;

        public byte[] PhysicalAddress { get => throw null; set => throw null; }

        public NetworkInterfaceType NetworkInterfaceType => throw null;

        public uint SpecificConfigId { get => throw null; set => throw null; }
    }

    public enum NetworkInterfaceType
    {
        Unknown = 1,
        Ethernet = 6,
        Wireless80211 = 71,
        WirelessAP = 72,
    }

    public class Wireless80211Configuration
    {
        public Wireless80211Configuration(uint id) => throw null;

        public AuthenticationType Authentication { get => throw null; set => throw null; }

        public ConfigurationOptions Options { get => throw null; set => throw null; }

        public string Password { get => throw null; set => throw null; }

        public string Ssid { get => throw null; set => throw null; }

        public uint Id => throw null;

        public void SaveConfiguration() => throw null;

        public static Wireless80211Configuration[] GetAllWireless80211Configurations() => throw null;

        [Flags]
        public enum ConfigurationOptions : byte
        {
            None = 0,
            Disable = 0x01,
            Enable = 0x02,
            AutoConnect = 0x04 | Enable,
            SmartConfig = 0x08 | Enable,
        }
    }

    public enum AuthenticationType : byte
    {
        None = 0,
        EAP,
        PEAP,
        WCN,
        Open,
        Shared,
        WEP,
        WPA,
        WPA2,
    }
}

namespace nanoFramework.Networking
{
    public enum NetworkHelperStatus
    {
        None,
        Started,
        NetworkIsReady,
        FailedNoNetworkInterface,
        TokenExpiredWaitingIPAddress,
        TokenExpiredWaitingDateTime,
        ErrorConnetingToWiFiWhileScanning,
        ExceptionOccurred,
        Reconnecting,
    }
}
