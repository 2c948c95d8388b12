using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using Controller;
using Controller.Web;
using Microsoft.Playwright;
using Tests.Support;

namespace Tests.Web;

/// <summary>
/// Issue 14 in a real browser: `controller demo --web`'s two-element cluster with its three
/// phones, run in-process, and Debian's headless chromium clicking the pages. Each test uses its
/// own phone; the screenshots of docs/screenshots/ are taken here (by tools/screenshots; a plain
/// test run writes them under the test output).
/// </summary>
[TestClass]
public class WebAdminInBrowserTests
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(20);
    private static TestDirectory? s_directory;
    private static WebDemo? s_demo;
    private static BrowserSession? s_browser;

    private static WebDemo Demo => s_demo!;

    private static Uri First => Demo.First.AdminAddress!;

    private static Uri Second => Demo.Second.AdminAddress!;

    [ClassInitialize]
    public static async Task StartCluster(TestContext context)
    {
        s_directory = new TestDirectory("web");
        s_demo = await WebDemo.StartAsync(s_directory.Path);
        s_browser = await BrowserSession.StartAsync();
    }

    [ClassCleanup]
    public static async Task StopCluster()
    {
        if (s_browser != null)
        {
            await s_browser.DisposeAsync();
        }

        if (s_demo != null)
        {
            await s_demo.DisposeAsync();
        }

        s_directory?.Dispose();
    }

    [TestMethod]
    public async Task WithoutTheTokenEveryPagePostAndStreamIsRefused_WithItThePagesOpen()
    {
        IPage page = await s_browser!.NewPageAsync(First);
        await page.GotoAsync("/registrations");
        Assert.IsTrue(new Uri(page.Url).AbsolutePath == "/signin", "a page without the cookie goes to sign-in, not " + page.Url);

        IAPIResponse stream = await page.APIRequest.GetAsync("/events/stream", new APIRequestContextOptions { Headers = new System.Collections.Generic.Dictionary<string, string> { ["Accept"] = "text/event-stream" } });
        Assert.AreEqual(401, stream.Status, "the event stream without the cookie");
        IAPIResponse phoneStream = await page.APIRequest.GetAsync("/phones/00085d001000/stream", new APIRequestContextOptions { Headers = new System.Collections.Generic.Dictionary<string, string> { ["Accept"] = "text/event-stream" } });
        Assert.AreEqual(401, phoneStream.Status, "the phone's stream without the cookie");
        IAPIResponse post = await page.APIRequest.PostAsync("/telephone-directory", new APIRequestContextOptions { Form = FormWith(page, ("number", "1900"), ("name", "Intruder")) });
        Assert.AreEqual(401, post.Status, "a form post without the cookie");
        Assert.IsNull(Demo.First.Forms.TelephoneDirectory.Find("1900"), "the refused post changed nothing");

        await page.FillAsync("#signin-token", "not-the-token");
        await page.ClickAsync("button:has-text('Sign in')");
        await Assertions.Expect(page.Locator("#signin-token-error")).ToContainTextAsync("wrong admin token");
        await BrowserSession.Screenshot(page, "signin-refused");

        await page.FillAsync("#signin-token", Demo.First.AdminToken!);
        await page.ClickAsync("button:has-text('Sign in')");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Registrations");
        Assert.AreEqual("/registrations", new Uri(page.Url).AbsolutePath, "sign-in returns to the page asked for");
    }

    [TestMethod]
    public async Task ADirectoryNumberWithABadValueShowsTheMessageBesideTheField_AGoodOneIsTheRowRestSees()
    {
        IPage page = await SignedIn(First, Demo.First.AdminToken!, "/telephone-directory");
        await page.FillAsync("#directory-number", "12a4");
        await page.FillAsync("#directory-name", "Lab bench");
        await page.ClickAsync("form[action='/telephone-directory'] button[type=submit]");
        await Assertions.Expect(page.Locator("#directory-number-error")).ToContainTextAsync("directory number must be 1 to 7 characters of 0-9, * and #, not '12a4'");
        await Assertions.Expect(page.Locator("#directory-number")).ToHaveValueAsync("12a4"); // what was typed is kept
        Assert.IsNull(Demo.First.Forms.TelephoneDirectory.Find("12a4"));
        await BrowserSession.Screenshot(page, "telephone-directory-bad-value");

        await page.FillAsync("#directory-number", "1002");
        await page.ClickAsync("form[action='/telephone-directory'] button[type=submit]");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("added directory number 1002");
        await Assertions.Expect(page.GetByLabel("Name of 1002", new PageGetByLabelOptions { Exact = true })).ToHaveValueAsync("Lab bench");

        using HttpClient rest = new() { BaseAddress = First };
        rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Demo.First.AdminToken);
        StringAssert.Contains(await rest.GetStringAsync("/api/telephone-directory"), "{\"number\":\"1002\",\"name\":\"Lab bench\"");

        // A change in the page is the row REST reads, too.
        await page.GetByLabel("Name of 1002", new PageGetByLabelOptions { Exact = true }).FillAsync("Lab bench 2");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Rename 1002", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("renamed directory number 1002");
        StringAssert.Contains(await rest.GetStringAsync("/api/telephone-directory"), "{\"number\":\"1002\",\"name\":\"Lab bench 2\"");
    }

    [TestMethod]
    public async Task TypingAPinOnThePhonePageRegistersIt_AndTheRegistrationAppearsLiveInTheRegistrationsView()
    {
        IPage registrations = await SignedIn(First, Demo.First.AdminToken!, "/registrations");
        await Assertions.Expect(registrations.Locator("body.live")).ToHaveCountAsync(1); // listening before the phone acts
        IPage phone = await SignedIn(First, Demo.First.AdminToken!, "/phones/00085d001000", phoneWidth: true);
        await Assertions.Expect(phone.Locator("#display")).ToContainTextAsync("Enter PIN:", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });

        await TypeAndConfirm(phone, "***1000");

        await Assertions.Expect(phone.Locator("#display")).ToContainTextAsync("DN 1000", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(phone.Locator("#display")).ToContainTextAsync("Bench set 1000"); // the directory name under the DN
        ILocator row = registrations.Locator("#registrations tr", new PageLocatorOptions { HasText = "00:08:5d:00:10:00" });
        await Assertions.Expect(row).ToContainTextAsync("1000", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(row).ToContainTextAsync("typed PIN");
        await Assertions.Expect(row).ToContainTextAsync("primary");
        await Assertions.Expect(row).ToContainTextAsync("connected");
        await BrowserSession.Screenshot(phone, "phone-registered");
        await BrowserSession.Screenshot(registrations, "registrations");

        // Power off, then "power up holding *": the core clears its stored PIN and prompts again.
        await phone.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Power off", Exact = true }).ClickAsync();
        await Assertions.Expect(phone.Locator("#display .power")).ToHaveAttributeAsync("data-power", "off");
        await Assertions.Expect(row).ToContainTextAsync("disconnected", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        await phone.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Power up holding *", Exact = true }).ClickAsync();
        await Assertions.Expect(phone.Locator("#phone-events")).ToContainTextAsync("pin.cleared", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(phone.Locator("#display")).ToContainTextAsync("Enter PIN:", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
    }

    [TestMethod]
    public async Task DeletingTheDnInTheAdminPageResetsThePhonePageToThePinPrompt()
    {
        IPage phone = await SignedIn(First, Demo.First.AdminToken!, "/phones/00085d001001", phoneWidth: true);
        await Assertions.Expect(phone.Locator("#display")).ToContainTextAsync("Enter PIN:", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        await TypeAndConfirm(phone, "***1001");
        await Assertions.Expect(phone.Locator("#display")).ToContainTextAsync("DN 1001", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });

        IPage directory = await SignedIn(First, Demo.First.AdminToken!, "/telephone-directory");
        await directory.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Delete directory number 1001", Exact = true }).ClickAsync();
        await Assertions.Expect(directory.Locator(".notice")).ToContainTextAsync("1 set(s) told to clear their PIN and reset");

        // The page was not reloaded: the reset and the new prompt arrive over its stream.
        await Assertions.Expect(phone.Locator("#display")).ToContainTextAsync("Enter PIN:", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(phone.Locator("#phone-events")).ToContainTextAsync("reset");
        Assert.IsNull(Demo.First.Forms.TelephoneDirectory.Find("1001"));
        await BrowserSession.Screenshot(phone, "phone-reset-to-pin-prompt");
    }

    [TestMethod]
    public async Task ARedirectShowsInTheEventLogOfBothElements()
    {
        IPage firstLog = await SignedIn(First, Demo.First.AdminToken!, "/events");
        IPage secondLog = await SignedIn(Second, Demo.Second.AdminToken!, "/events");
        await Assertions.Expect(firstLog.Locator("body.live")).ToHaveCountAsync(1);
        await Assertions.Expect(secondLog.Locator("body.live")).ToHaveCountAsync(1);
        IPage phone = await SignedIn(First, Demo.First.AdminToken!, "/phones/00085d002000", phoneWidth: true);
        await Assertions.Expect(phone.Locator("#display")).ToContainTextAsync("Enter PIN:", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });

        // This one is typed on the keyboard, Enter being Confirm.
        await phone.Keyboard.TypeAsync("***2000");
        await phone.Keyboard.PressAsync("Enter");

        string target = "to 127.0.0.1:" + Demo.Second.RegistrationPort;
        ILocator redirect = firstLog.Locator("#event-log li.redirect", new PageLocatorOptions { HasText = "00:08:5d:00:20:00" });
        await Assertions.Expect(redirect).ToContainTextAsync(target, new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        ILocator relayed = secondLog.Locator("#event-log li.redirect", new PageLocatorOptions { HasText = "00:08:5d:00:20:00" });
        await Assertions.Expect(relayed).ToContainTextAsync("from bench-1: sent here", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        ILocator arrival = secondLog.Locator("#event-log li.registered", new PageLocatorOptions { HasText = "00:08:5d:00:20:00" });
        await Assertions.Expect(arrival).ToContainTextAsync("DN 2000", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(arrival).ToContainTextAsync("by stored PIN"); // the PIN the redirect had it save
        await Assertions.Expect(phone.Locator("#display")).ToContainTextAsync("DN 2000", new LocatorAssertionsToContainTextOptions { Timeout = (float)Live.TotalMilliseconds });
        // The boot before the prompt is in the log too: the lease and the transfers.
        await Assertions.Expect(firstLog.Locator("#event-log li.dhcp-lease", new PageLocatorOptions { HasText = "00:08:5d:00:20:00" })).ToContainTextAsync("leased 10.77.0.");
        await Assertions.Expect(firstLog.Locator("#event-log li.tftp").First).ToContainTextAsync("sent boot.");
        await BrowserSession.Screenshot(firstLog, "event-log-bench-1");
        await BrowserSession.Screenshot(secondLog, "event-log-bench-2");

        IPage cluster = await SignedIn(First, Demo.First.AdminToken!, "/");
        await Assertions.Expect(cluster.Locator("#registrations-bench-2")).ToContainTextAsync("00:08:5d:00:20:00");
        await BrowserSession.Screenshot(cluster, "cluster");
    }

    [TestMethod]
    public void ThePageKeysAreTheKeypadsKeys_ConfirmIsTheConfirmKeyNotPound()
    {
        Assert.AreEqual(Hal.Keys.Confirm, PhonePages.KeyOf("confirm"));
        Assert.AreEqual(Hal.Keys.Backspace, PhonePages.KeyOf("backspace"));
        Assert.AreEqual('#', PhonePages.KeyOf("#"));
        Assert.AreEqual('*', PhonePages.KeyOf("*"));
        Assert.IsNull(PhonePages.KeyOf("a"));
        Assert.IsNull(PhonePages.KeyOf("\n"));
    }

    private static async Task<IPage> SignedIn(Uri address, string token, string path, bool phoneWidth = false)
    {
        IPage page = await s_browser!.NewPageAsync(address, phoneWidth);
        await page.GotoAsync("/signin?return=" + Uri.EscapeDataString(path));
        await page.FillAsync("#signin-token", token);
        await page.ClickAsync("button:has-text('Sign in')");
        await page.WaitForURLAsync(new Uri(address, path).ToString());
        return page;
    }

    // Presses the page's buttons, as a person would: dial keys, then Confirm.
    private static async Task TypeAndConfirm(IPage phone, string pin)
    {
        foreach (char key in pin)
        {
            string name = key == '*' ? "star" : key == '#' ? "pound" : key.ToString();
            await phone.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = name, Exact = true }).ClickAsync();
        }

        await phone.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Confirm", Exact = true }).ClickAsync();
    }

    private static IFormData FormWith(IPage page, params (string Name, string Value)[] fields)
    {
        IFormData form = page.APIRequest.CreateFormData();
        foreach ((string name, string value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
