using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using Controller.Admin;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// Issue 15, hostile clients on the admin API of a real `controller serve`: no token, a wrong
/// token, a body past the size limit, and token guessing — refused, logged, and after
/// <see cref="AdminRateLimit.Failures"/> wrong tokens blocked with 429 even for the right one.
/// </summary>
[TestClass]
public class HostileAdminClientsTests
{
    [TestMethod]
    public async Task NoTokenWrongTokenOversizeBodyAndGuessingAreRefusedAndGuessingIsBlockedAndLogged()
    {
        using TestDirectory directory = new("reliability-admin");
        using ServedElement element = new(directory, 1);
        (Uri address, string token) = AdminEndpoint.Read(element.EndpointFile);
        Assert.AreEqual("127.0.0.1", address.Host, "the admin API binds loopback unless configured");
        using HttpClient client = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };

        Assert.AreEqual(HttpStatusCode.OK, (await Send(client, token, HttpMethod.Get, "api/telephone-directory")).StatusCode);
        string huge = "{\"number\":\"2000\",\"name\":\"" + new string('x', 100_000) + "\"}";
        using (HttpResponseMessage tooLarge = await Send(client, token, HttpMethod.Post, "api/telephone-directory", huge))
        {
            Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode, await tooLarge.Content.ReadAsStringAsync());
        }

        int from = element.Process.LineCount;
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Send(client, null, HttpMethod.Get, "api/telephone-directory")).StatusCode);
        for (int guess = 1; guess < AdminRateLimit.Failures; guess++)
        {
            Assert.AreEqual(HttpStatusCode.Unauthorized, (await Send(client, "guess" + guess, HttpMethod.Get, "api/telephone-directory")).StatusCode);
        }

        using HttpResponseMessage blocked = await Send(client, token, HttpMethod.Get, "api/telephone-directory");
        Assert.AreEqual((HttpStatusCode)429, blocked.StatusCode, "the right token after " + AdminRateLimit.Failures + " wrong ones");
        Assert.IsTrue(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
        Assert.IsTrue(element.Process.WaitForLine("missing or wrong token from 127.0.0.1 (" + AdminRateLimit.Failures + " in the last minute", TimeSpan.FromSeconds(5), from), element.Process.Output);
        Assert.AreEqual((HttpStatusCode)429, (await Send(client, token, HttpMethod.Get, "api/nothing")).StatusCode, "a blocked source reaches no endpoint");
        Assert.IsFalse(element.Process.HasExited);
    }

    [TestMethod]
    public async Task WrongTokensOnTheSignInPageAreCountedByTheRateLimitAndLogged()
    {
        using TestDirectory directory = new("reliability-admin-signin");
        using ServedElement element = new(directory, 1);
        (Uri address, string token) = AdminEndpoint.Read(element.EndpointFile);
        using HttpClient client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };

        // No cookie is a first visit, not a guess: it is sent to sign-in however often it comes.
        for (int visit = 0; visit < AdminRateLimit.Failures + 2; visit++)
        {
            using HttpResponseMessage firstVisit = await client.GetAsync("registrations");
            Assert.AreEqual(HttpStatusCode.Redirect, firstVisit.StatusCode, "visit " + visit);
        }

        OutputCursor guessing = element.Process.Here();
        using (HttpRequestMessage wrongCookie = new(HttpMethod.Get, "registrations"))
        {
            wrongCookie.Headers.Add("Cookie", global::Controller.Web.WebSignIn.CookieName + "=guess0");
            Assert.AreEqual(HttpStatusCode.Redirect, (await client.SendAsync(wrongCookie)).StatusCode);
        }

        for (int guess = 2; guess <= AdminRateLimit.Failures; guess++)
        {
            using HttpResponseMessage refused = await SignIn(client, "guess" + guess);
            Assert.AreEqual(HttpStatusCode.Unauthorized, refused.StatusCode, "guess " + guess);
            StringAssert.Contains(await refused.Content.ReadAsStringAsync(), "wrong admin token");
        }

        Assert.IsTrue(element.Process.WaitForLineAfter(guessing, "missing or wrong token from 127.0.0.1 (" + AdminRateLimit.Failures + " in the last minute", TimeSpan.FromSeconds(5)), element.Process.Output);
        using HttpResponseMessage blocked = await SignIn(client, token);
        Assert.AreEqual((HttpStatusCode)429, blocked.StatusCode, "the right token on the sign-in page after a wrong cookie and " + (AdminRateLimit.Failures - 1) + " wrong sign-ins");
        Assert.AreEqual((HttpStatusCode)429, (await Send(client, token, HttpMethod.Get, "api/telephone-directory")).StatusCode, "guessing on the page blocks REST too");
    }

    private static Task<HttpResponseMessage> SignIn(HttpClient client, string token)
    {
        return client.PostAsync("signin", new FormUrlEncodedContent(new System.Collections.Generic.Dictionary<string, string> { ["token"] = token, ["return"] = "/" }));
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string? token, HttpMethod method, string path, string? body = null)
    {
        using HttpRequestMessage request = new(method, path);
        if (token != null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body != null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }
}
