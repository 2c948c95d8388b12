using System.Collections.Generic;
using PhoneFirmware.Host;
using PhoneFirmware.Host.Fleet;

namespace Tests.Host;

/// <summary>`phone fleet` on the command line: shards, MACs, PINs, and the mistakes it refuses.</summary>
[TestClass]
public class FleetOptionsTests
{
    [TestMethod]
    public void ShardsSplitTheFleetIntoSlicesThatKeepTheWholeFleetsIndexes()
    {
        int next = 0;
        for (int shard = 1; shard <= 3; shard++)
        {
            FleetOptions options = FleetOptions.Parse(new[] { "--count", "10", "--shard", shard + "/3" });
            Assert.AreEqual(next, options.FirstIndex, "shard " + shard + " starts where the last ended");
            Assert.IsTrue(options.EndIndex > options.FirstIndex);
            next = options.EndIndex;
        }

        Assert.AreEqual(10, next, "the shards together are the fleet");
    }

    [TestMethod]
    public void AShardsPhonesHaveTheWholeFleetsMacsDnsPinsAndTyping()
    {
        string[] fleet = { "--count", "10", "--mac-base", "00:08:5d:00:00:f0", "--dn-base", "500", "--pin-pattern", "7{dn}", "--typed-every", "3" };
        FleetOptions whole = FleetOptions.Parse(fleet);
        FleetOptions second = FleetOptions.Parse(new List<string>(fleet) { "--shard", "2/3" }.ToArray());

        Assert.AreEqual(3, second.FirstIndex);
        Assert.AreEqual(6, second.EndIndex);
        for (int index = second.FirstIndex; index < second.EndIndex; index++)
        {
            Assert.AreEqual(Protocol.Common.MacAddress.Format(whole.MacOf(index)), Protocol.Common.MacAddress.Format(second.MacOf(index)));
            Assert.AreEqual(whole.DnOf(index), second.DnOf(index));
            Assert.AreEqual(whole.PinOf(index), second.PinOf(index));
            Assert.AreEqual(whole.TypesPin(index), second.TypesPin(index));
        }

        Assert.AreEqual("00:08:5d:00:00:f3", Protocol.Common.MacAddress.Format(second.MacOf(3)), "the shard's first phone is the fleet's phone 3");
        Assert.AreEqual("7503", second.PinOf(3));
        Assert.IsTrue(second.TypesPin(3));
    }

    [TestMethod]
    public void PhoneIHasTheBaseMacPlusIAndThePatternsPinWithItsDn()
    {
        FleetOptions options = FleetOptions.Parse(new[] { "--count", "300", "--mac-base", "00:08:5d:00:00:ff", "--dn-base", "1000", "--pin-pattern", "***{dn}", "--typed-every", "100" });

        Assert.AreEqual("00:08:5d:00:01:00", Protocol.Common.MacAddress.Format(options.MacOf(1)), "the MAC carries into the next byte");
        Assert.AreEqual("***1299", options.PinOf(299));
        Assert.IsTrue(options.TypesPin(200));
        Assert.IsFalse(options.TypesPin(201));
    }

    [TestMethod]
    public void AWindowIsHowManyPhonesMayBeBetweenPowerUpAndSettledAndNoneMeansAllAtOnce()
    {
        Assert.AreEqual(0, FleetOptions.Parse(new[] { "--count", "4" }).Window, "no window: every phone powers up at once");
        Assert.AreEqual(3, FleetOptions.Parse(new[] { "--count", "4", "--window", "3" }).Window);
    }

    [TestMethod]
    [DataRow(new[] { "--shard", "1/2" }, "--count")]
    [DataRow(new[] { "--count", "4", "--shard", "5/4" }, "--shard")]
    [DataRow(new[] { "--count", "4", "--pin-pattern", "***{dn}" }, "--dn-base")]
    [DataRow(new[] { "--count", "4", "--pin-pattern", "**x" }, "'x'")]
    [DataRow(new[] { "--count", "4", "--pins", "typed" }, "--pin-pattern")]
    [DataRow(new[] { "--count", "4", "--relay", "10.0.0.2" }, "--dhcp-server")]
    [DataRow(new[] { "--count", "4", "--protocol", "sip", "--transport", "tls" }, "--transport tls")]
    [DataRow(new[] { "--count", "4", "--protocol", "sip", "--sip-port", "5070" }, "--sip-port")]
    [DataRow(new[] { "--count", "4", "--no-dhcp", "--address", "10.0.0.9", "--no-boot-files", "--call-server", "10.0.0.1" }, "--address")]
    [DataRow(new[] { "--count", "4", "--no-dhcp", "--relay", "10.0.0.2", "--no-boot-files", "--call-server", "10.0.0.1" }, "--relay")]
    [DataRow(new[] { "--count", "2", "--mac-base", "ff:ff:ff:ff:ff:ff" }, "--mac-base")]
    [DataRow(new[] { "--count", "4", "--window", "0" }, "--window")]
    [DataRow(new[] { "--count", "4", "--window", "many" }, "--window")]
    public void AMistakeIsAUsageErrorNamingTheOption(string[] args, string named)
    {
        UsageException error = Assert.Throws<UsageException>(() => FleetOptions.Parse(args));

        StringAssert.Contains(error.Message, named);
    }
}
