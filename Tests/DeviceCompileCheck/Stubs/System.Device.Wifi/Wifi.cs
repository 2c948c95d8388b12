// Reference-only stub. Transcribed from nanoframework/System.Device.Wifi@282a90676d5b (tag v1.5.147):
// System.Device.Wifi/NetworkHelper/WifiNetworkHelper.cs, WifiAdapter.cs, WifiConnectionResult.cs,
// WifiConnectionStatus.cs, WifiReconnectionKind.cs (signatures only; the members the device code uses,
// enum members in upstream order).
using System;
using System.Device.Wifi;
using System.Threading;

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        public static NetworkHelperStatus Status => throw null;

        public static Exception HelperException { get => throw null; internal set => throw null; }

        public static bool ConnectDhcp(
            string ssid,
            string password,
            WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic,
            bool requiresDateTime = false,
            int wifiAdapterId = 0,
            CancellationToken token = default) => throw null;

        public static bool Reconnect(
            bool requiresDateTime = false,
            int wifiAdapterId = 0,
            CancellationToken token = default) => throw null;
    }
}

namespace System.Device.Wifi
{
    public sealed class WifiAdapter : IDisposable
    {
        public static WifiAdapter[] FindAllAdapters() => throw null;

        public WifiConnectionResult Connect(string ssid, WifiReconnectionKind reconnectionKind, string passwordCredential) => throw null;

        public void Disconnect() => throw null;

        public void Dispose() => throw null;
    }

    public class WifiConnectionResult
    {
        public WifiConnectionStatus ConnectionStatus => throw null;
    }

    public enum WifiConnectionStatus
    {
        AccessRevoked,
        InvalidCredential,
        NetworkNotAvailable,
        Success,
        Timeout,
        UnspecifiedFailure,
        UnsupportedAuthenticationProtocol,
    }

    public enum WifiReconnectionKind
    {
        Automatic,
        Manual,
    }
}
