using System.Device.Wifi;
using System.Threading;
using nanoFramework.Networking;

namespace Hal.Esp32;

/// <summary>
/// Joins the Wi-Fi network at boot the way nanoFramework's samples do (Samples: MQTT, AMQP,
/// AzureSDK, McpAi, all <c>WifiNetworkHelper.ConnectDhcp(ssid, password, requiresDateTime, token)</c>
/// with a timeout token): saving a <c>Wireless80211Configuration</c> alone does not connect.
/// <list type="bullet">
/// <item>Credentials in the profile that differ from the stored ones: <c>ConnectDhcp</c>, which
/// stores them, connects with automatic reconnection and waits for lwIP's lease (the
/// "native-lease" bootstrap pins that lease afterwards).</item>
/// <item>No credentials in the profile, or the same as stored: <c>Reconnect</c>, which waits for
/// the firmware's own automatic join with the stored credentials (no flash write each boot).</item>
/// <item>"none" bootstrap: lwIP's DHCP is off, so no lease will come; <c>WifiAdapter.Connect</c>
/// associates and the phone's own DHCP runs over it.</item>
/// </list>
/// Blocks for at most <see cref="TimeoutMilliseconds"/>, once, before the step loop starts; a
/// failure is returned as text (the phone carries on: the firmware keeps retrying the join and
/// the core shows "Waiting for link" until it succeeds).
/// </summary>
public static class WifiJoin
{
    /// <summary>Longest wait for the join (and lease) at boot; the samples use 60 s, the phone shows its own progress sooner.</summary>
    public const int TimeoutMilliseconds = 30000;

    /// <summary>Null when joined, else why not, for the display and the fault event.</summary>
    public static string? Join(BoardProfile profile, bool storedCredentialsMatch)
    {
        if (profile.AddressBootstrap == "none")
        {
            return profile.WifiSsid.Length == 0 ? null : Associate(profile.WifiSsid, profile.WifiPassword);
        }

        CancellationTokenSource timeout = new CancellationTokenSource(TimeoutMilliseconds);
        bool joined = profile.WifiSsid.Length == 0 || storedCredentialsMatch
            ? WifiNetworkHelper.Reconnect(false, 0, timeout.Token)
            : WifiNetworkHelper.ConnectDhcp(profile.WifiSsid, profile.WifiPassword, WifiReconnectionKind.Automatic, false, 0, timeout.Token);
        timeout.Dispose();
        return joined ? null : Describe(WifiNetworkHelper.Status, WifiNetworkHelper.HelperException);
    }

    private static string? Associate(string ssid, string password)
    {
        WifiAdapter[] adapters = WifiAdapter.FindAllAdapters();
        if (adapters.Length == 0)
        {
            return "the firmware has no Wi-Fi adapter";
        }

        WifiConnectionStatus status = adapters[0].Connect(ssid, WifiReconnectionKind.Automatic, password).ConnectionStatus;
        switch (status)
        {
            case WifiConnectionStatus.Success: return null;
            case WifiConnectionStatus.InvalidCredential: return "wrong password for " + ssid;
            case WifiConnectionStatus.NetworkNotAvailable: return ssid + " not found";
            case WifiConnectionStatus.Timeout: return ssid + " did not answer";
            case WifiConnectionStatus.UnsupportedAuthenticationProtocol: return ssid + ": security not supported";
            default: return "could not join " + ssid;
        }
    }

    private static string Describe(NetworkHelperStatus status, System.Exception? error)
    {
        switch (status)
        {
            case NetworkHelperStatus.TokenExpiredWaitingIPAddress: return "no address within " + (TimeoutMilliseconds / 1000).ToString() + " s";
            case NetworkHelperStatus.FailedNoNetworkInterface: return "the firmware has no Wi-Fi interface";
            case NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning: return "could not join";
            case NetworkHelperStatus.ExceptionOccurred: return error == null ? "join failed" : "join failed: " + error.Message;
            default: return "not joined";
        }
    }
}
