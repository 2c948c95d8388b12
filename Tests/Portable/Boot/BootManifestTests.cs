using PhoneFirmware.Core.Boot;
using Protocol.Common;
using Tests.Portable.Support;

namespace Tests.Portable.Boot;

[TestClass]
public class BootManifestTests
{
    private const string Sha = "bcffda9a21cad90984fdd6bff4b31b5c0e4b29de209cf0615bbd56f184f53400";

    private static BootManifest Parse(string text)
    {
        byte[] data = Ascii.GetBytes(text);
        return BootManifest.Parse(data, 0, data.Length);
    }

    [TestMethod]
    public void ReadsEntriesCommentsAndBlankLines()
    {
        BootManifest manifest = Parse("# name size sha256 version\r\n\nboot.img 262144 " + Sha + " bcffda9a21ca\nmain.img   10 " + Sha + "  # no version\n");
        Assert.AreEqual(2, manifest.Count);
        BootManifestEntry boot = manifest.Find("boot.img")!;
        Assert.AreEqual(262144L, boot.Size);
        Assert.AreEqual(Sha, boot.Sha256);
        Assert.AreEqual("bcffda9a21ca", boot.Version);
        Assert.AreEqual(string.Empty, manifest.Find("main.img")!.Version);
        Assert.IsNull(manifest.Find("other.img"));
    }

    [TestMethod]
    public void RefusesMalformedManifestsWithTheParseError()
    {
        string[] bad =
        {
            "boot.img 10",
            "boot.img ten " + Sha,
            "boot.img 10 " + Sha.Substring(1),
            "boot.img 10 " + "BCFFDA9A21CAD90984FDD6BFF4B31B5C0E4B29DE209CF0615BBD56F184F53400",
            "boot.img 10 " + Sha + " v1 extra",
            "boot.img 10 " + Sha + "\nboot.img 11 " + Sha,
            "boot.img 10 " + Sha + " " + new string('v', 33),
            "boot.img\t10 " + Sha,
            "boot.img 1234567890123 " + Sha,
        };
        for (int i = 0; i < bad.Length; i++)
        {
            string text = bad[i];
            AssertThrows.ParseError(() => Parse(text));
        }

        byte[] large = new byte[BootManifest.MaximumLength + 1];
        AssertThrows.ParseError(() => BootManifest.Parse(large, 0, large.Length));
        string many = string.Empty;
        for (int i = 0; i <= BootManifest.MaximumEntries; i++)
        {
            many += "f" + i.ToString() + " 1 " + Sha + "\n";
        }

        AssertThrows.ParseError(() => Parse(many));
    }
}
