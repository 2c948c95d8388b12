using Protocol.Registration;

namespace Tests.Portable.Registration;

[TestClass]
public class PinCodeTests
{
    [TestMethod]
    public void SplitsARegistrationPin()
    {
        string dn;
        bool replacement;
        Assert.IsTrue(PinCode.TrySplit("***1000", "***", "###", out dn, out replacement));
        Assert.AreEqual("1000", dn);
        Assert.IsFalse(replacement);
    }

    [TestMethod]
    public void SplitsAReplacementPin()
    {
        string dn;
        bool replacement;
        Assert.IsTrue(PinCode.TrySplit("###2001", "***", "###", out dn, out replacement));
        Assert.AreEqual("2001", dn);
        Assert.IsTrue(replacement);
    }

    [TestMethod]
    public void TriesTheLongerCodeFirstWhenOneIsAPrefixOfTheOther()
    {
        string dn;
        bool replacement;
        Assert.IsTrue(PinCode.TrySplit("**123", "*", "**", out dn, out replacement));
        Assert.AreEqual("123", dn);
        Assert.IsTrue(replacement);

        Assert.IsTrue(PinCode.TrySplit("*123", "*", "**", out dn, out replacement));
        Assert.AreEqual("123", dn);
        Assert.IsFalse(replacement);

        Assert.IsTrue(PinCode.TrySplit("##55", "##", "#", out dn, out replacement));
        Assert.AreEqual("55", dn);
        Assert.IsFalse(replacement);
    }

    [TestMethod]
    public void EqualCodesMeanRegistration()
    {
        string dn;
        bool replacement;
        Assert.IsTrue(PinCode.TrySplit("***1000", "***", "***", out dn, out replacement));
        Assert.AreEqual("1000", dn);
        Assert.IsFalse(replacement);
    }

    [TestMethod]
    public void RefusesPinsWithoutAValidDn()
    {
        string dn;
        bool replacement;
        Assert.IsFalse(PinCode.TrySplit("***", "***", "###", out dn, out replacement));
        Assert.AreEqual(string.Empty, dn);
        Assert.IsFalse(PinCode.TrySplit("***12345678", "***", "###", out dn, out replacement));
        Assert.IsFalse(PinCode.TrySplit("***12a", "***", "###", out dn, out replacement));
        Assert.IsFalse(PinCode.TrySplit("**1000", "***", "###", out dn, out replacement));
        Assert.IsFalse(PinCode.TrySplit("1000", "***", "###", out dn, out replacement));
        Assert.IsFalse(PinCode.TrySplit(string.Empty, "***", "###", out dn, out replacement));
        Assert.IsTrue(PinCode.TrySplit("***1234567", "***", "###", out dn, out replacement));
        Assert.AreEqual("1234567", dn);
    }

    [TestMethod]
    public void AnEmptyCodeMatchesNothing()
    {
        string dn;
        bool replacement;
        Assert.IsFalse(PinCode.TrySplit("1000", string.Empty, string.Empty, out dn, out replacement));
        Assert.IsTrue(PinCode.TrySplit("###1000", string.Empty, "###", out dn, out replacement));
        Assert.IsTrue(replacement);
    }

    [TestMethod]
    public void ValidDnsAreOneToSevenDigitsStarsOrHashes()
    {
        Assert.IsTrue(PinCode.IsValidDn("1"));
        Assert.IsTrue(PinCode.IsValidDn("*#0"));
        Assert.IsTrue(PinCode.IsValidDn("1234567"));
        Assert.IsFalse(PinCode.IsValidDn(string.Empty));
        Assert.IsFalse(PinCode.IsValidDn("12345678"));
        Assert.IsFalse(PinCode.IsValidDn("12 3"));
        Assert.IsFalse(PinCode.IsValidDn("+123"));
    }
}
