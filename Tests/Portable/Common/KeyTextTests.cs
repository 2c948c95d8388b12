using Hal;

namespace Tests.Portable.Common;

/// <summary>The typed-key notation every surface shares: dial keys as themselves, {ok} Confirm, {bs} Backspace.</summary>
[TestClass]
public class KeyTextTests
{
    [TestMethod]
    public void DialKeysStandForThemselvesAndTheTokensForTheEntryKeys()
    {
        string? keys = KeyText.Parse("***1000{ok}", 32, out string error);
        Assert.AreEqual("***1000\n", keys, error);
        Assert.AreEqual(Keys.Confirm, keys![7]);
        Assert.AreEqual("###10" + Keys.Backspace + "01" + Keys.Confirm, KeyText.Parse("###10{bs}01{ok}", 32, out error));
        Assert.AreEqual("#", KeyText.Parse("#", 1, out error), "'#' is a code character, not a confirm");
    }

    [TestMethod]
    public void FormatWritesTheNotationParseReads()
    {
        string keys = "*0*1000" + Keys.Backspace + "1" + Keys.Confirm;
        Assert.AreEqual("*0*1000{bs}1{ok}", KeyText.Format(keys));
        Assert.AreEqual(keys, KeyText.Parse(KeyText.Format(keys), 32, out string error), error);
    }

    [TestMethod]
    public void AnythingElseIsRefusedWithTheReason()
    {
        string[] bad = new string[] { string.Empty, "12a", "1 2", "{ok", "{OK}", "{enter}", "1\n", "{}" };
        for (int i = 0; i < bad.Length; i++)
        {
            Assert.IsNull(KeyText.Parse(bad[i], 32, out string error), bad[i]);
            Assert.IsTrue(error.Length > 0, bad[i]);
        }

        Assert.IsNull(KeyText.Parse("123", 2, out string tooMany));
        Assert.IsTrue(tooMany.IndexOf("more than 2") >= 0, tooMany);
        Assert.AreEqual("1{ok}", KeyText.Format(KeyText.Parse("1{ok}", 2, out tooMany)!), "a token is one key");
    }
}
