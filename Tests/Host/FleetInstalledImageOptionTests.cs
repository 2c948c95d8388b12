using PhoneFirmware.Host;
using PhoneFirmware.Host.Fleet;

namespace Tests.Host;

/// <summary>`phone fleet --installed-image`: the version a warm phone's flash records, bounded as the record is.</summary>
[TestClass]
public class FleetInstalledImageOptionTests
{
    [TestMethod]
    public void TheInstalledImageVersionIsKeptAsGiven()
    {
        Assert.AreEqual("3f2a9c0d11be", FleetOptions.Parse(new[] { "--count", "2", "--installed-image", "3f2a9c0d11be" }).InstalledImage);
        Assert.IsNull(FleetOptions.Parse(new[] { "--count", "2" }).InstalledImage);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("has space")]
    [DataRow("123456789012345678901234567890123")]
    public void AVersionTheImageRecordCannotHoldIsAUsageError(string version)
    {
        UsageException error = Assert.Throws<UsageException>(() => FleetOptions.Parse(new[] { "--count", "2", "--installed-image", version }));

        StringAssert.Contains(error.Message, "--installed-image");
    }
}
