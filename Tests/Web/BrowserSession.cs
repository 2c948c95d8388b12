using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace Tests.Web;

/// <summary>
/// Debian's headless chromium (package chromium, /usr/bin/chromium) driven by Playwright, with the
/// flags that keep it off the closed network; each test takes a fresh context (no cookies).
/// Screenshots go under the test output (bin/.../screenshots/), so a test run changes no tracked
/// file; tools/screenshots runs these tests with SCREENSHOT_DIR set to refresh docs/screenshots/.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>SCREENSHOT_DIR when set (tools/screenshots: docs/screenshots), else the test output's screenshots/.</summary>
    public static string ScreenshotDirectory
    {
        get
        {
            string? chosen = Environment.GetEnvironmentVariable("SCREENSHOT_DIR");
            return string.IsNullOrEmpty(chosen) ? Path.Combine(AppContext.BaseDirectory, "screenshots") : Path.GetFullPath(chosen);
        }
    }

    public static async Task<BrowserSession> StartAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException(Chromium + " is missing: install Debian's chromium (bash tools/install-test-deps)");
        }

        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Playwright gives every launch a fresh, empty profile directory of its own.
            Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync" },
        });
        return new BrowserSession(playwright, browser);
    }

    /// <summary>A page in a new context (no cookie), at desktop or phone width.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, bool phoneWidth = false)
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = phoneWidth ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1100, Height = 800 },
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(15000);
        return page;
    }

    public static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
