using Controller.Configuration;

namespace Tests.Controller;

/// <summary>A bad configuration stops the controller with a message naming the field, before anything starts.</summary>
[TestClass]
public sealed class ConfigLoaderTests
{
    private const string Valid = """
        {
          "element": { "name": "e1", "ceidIndex": 1, "ceidDigits": "1" },
          "listenAddress": "127.0.0.1",
          "database": "e1.db",
          "dhcp": { "poolStart": "10.77.0.50", "poolEnd": "10.77.0.99", "reservations": { "00-08-5D-00-10-00": "10.77.0.60" } },
          "tftp": { "root": "boot" }
        }
        """;

    [TestMethod]
    public void AValidConfigurationLoads()
    {
        ControllerConfig config = ConfigLoader.Parse(Valid, "test.json");
        Assert.AreEqual("10.77.0.60", config.Dhcp.Reservations["00-08-5D-00-10-00"]);
    }

    [TestMethod]
    public void APoolThatEndsBeforeItStartsIsRefused()
    {
        string text = Valid.Replace("\"poolEnd\": \"10.77.0.99\"", "\"poolEnd\": \"10.77.0.10\"", System.StringComparison.Ordinal);
        ConfigException error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Parse(text, "test.json"));
        StringAssert.Contains(error.Message, "dhcp.poolEnd");
    }

    [TestMethod]
    public void ACallServerThatIsNotHostAndPortIsRefused()
    {
        string text = Valid.Replace("\"poolEnd\": \"10.77.0.99\"", "\"poolEnd\": \"10.77.0.99\", \"callServers\": [\"10.77.0.1:6800\", \"cs.lab.test:99999\"]", System.StringComparison.Ordinal);
        ConfigException error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Parse(text, "test.json"));
        StringAssert.Contains(error.Message, "dhcp.callServers: 'cs.lab.test:99999'");
        ConfigLoader.Parse(text.Replace(":99999", ":6800", System.StringComparison.Ordinal), "test.json");
    }

    [TestMethod]
    public void AReservationWithABadMacIsRefused()
    {
        string text = Valid.Replace("00-08-5D-00-10-00", "00-08-5D-00-10", System.StringComparison.Ordinal);
        ConfigException error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Parse(text, "test.json"));
        StringAssert.Contains(error.Message, "dhcp.reservations");
    }

    [TestMethod]
    public void AReservationWithABadAddressIsRefused()
    {
        string text = Valid.Replace("\"10.77.0.60\"", "\"10.77.0.600\"", System.StringComparison.Ordinal);
        ConfigException error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Parse(text, "test.json"));
        StringAssert.Contains(error.Message, "dhcp.reservations");
    }

    [TestMethod]
    public void APendingOfferLimitBelowOneIsRefusedAndAValidOneReachesTheDhcpServer()
    {
        string text = Valid.Replace("\"poolEnd\": \"10.77.0.99\"", "\"poolEnd\": \"10.77.0.99\", \"pendingOfferLimit\": 0", System.StringComparison.Ordinal);
        ConfigException error = Assert.ThrowsExactly<ConfigException>(() => ConfigLoader.Parse(text, "test.json"));
        StringAssert.Contains(error.Message, "dhcp.pendingOfferLimit must be at least 1");

        ControllerConfig config = ConfigLoader.Parse(text.Replace("\"pendingOfferLimit\": 0", "\"pendingOfferLimit\": 20000", System.StringComparison.Ordinal), "test.json");
        Assert.AreEqual(20000, global::Controller.Dhcp.DhcpServerHost.BuildConfig(config, string.Empty, System.Net.IPAddress.Loopback).PendingOfferLimit);
        Assert.AreEqual(4096, global::Controller.Dhcp.DhcpServerHost.BuildConfig(ConfigLoader.Parse(Valid, "test.json"), string.Empty, System.Net.IPAddress.Loopback).PendingOfferLimit);
    }
}
