using System;
using System.IO;
using Tests.Support;

namespace Tests.Web;

/// <summary>A test run writes no tracked file: the browser tests' screenshots land in docs/screenshots/ only through tools/screenshots.</summary>
[TestClass]
public sealed class ScreenshotDirectoryTests
{
    [TestMethod]
    public void ScreenshotsGoUnderTheTestOutputUnlessToolsScreenshotsAsks()
    {
        string? asked = Environment.GetEnvironmentVariable("SCREENSHOT_DIR");
        string docs = Path.Combine(RepositoryPaths.Root, "docs", "screenshots");
        if (string.IsNullOrEmpty(asked))
        {
            StringAssert.StartsWith(BrowserSession.ScreenshotDirectory, AppContext.BaseDirectory);
            Assert.AreNotEqual(Path.GetFullPath(docs), Path.GetFullPath(BrowserSession.ScreenshotDirectory));
        }
        else
        {
            Assert.AreEqual(Path.GetFullPath(asked), BrowserSession.ScreenshotDirectory);
        }
    }
}
