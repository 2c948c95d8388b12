using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using Controller;
using Controller.Admin;
using Controller.Configuration;
using Tests.Support;

namespace Tests.Controller;

/// <summary>The admin API: token required, bad input refused with a message and no change, unknown entries 404.</summary>
[TestClass]
public sealed class AdminApiTests
{
    [TestMethod]
    public async Task TokenIsRequiredAndBadInputChangesNothing()
    {
        using TestDirectory directory = new("admin-api");
        ControllerConfig config = ConfigLoader.Parse("""
            {
              "element": { "name": "api", "ceidIndex": 1, "ceidDigits": "1" },
              "ports": { "dhcp": 0, "tftp": 0, "registration": 0 },
              "database": "api.db",
              "dhcp": { "enabled": false },
              "tftp": { "enabled": false },
              "telephoneDirectory": [ { "number": "1000", "name": "Existing" } ]
            }
            """, Path.Combine(directory.Path, "api.json"));
        config.Database = directory.File("api.db"); // Parse leaves paths as written; Load anchors them to the file
        await using ControllerElement element = new(config);
        await element.StartAsync();
        (Uri address, string token) = AdminEndpoint.Read(element.AdminEndpointFile);
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(element.AdminEndpointFile));
        }

        using HttpClient anonymous = new() { BaseAddress = address };
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/telephone-directory")).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token + "x");
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/telephone-directory")).StatusCode);

        using HttpClient http = new() { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        string before = await http.GetStringAsync("/api/telephone-directory");
        string[] bad =
        {
            """{"number":"12345678","name":"too long"}""",
            """{"number":"1000","name":"duplicate"}""",
            """{"number":"10a0","name":"letters"}""",
            """{"number":"1001","name":"a name much longer than twenty"}""",
            """{"number":"1002","name":"x","secondaryCeidIndex":9}""",
            """{"number":""",
        };
        foreach (string body in bad)
        {
            HttpResponseMessage response = await http.PostAsync("/api/telephone-directory", new StringContent(body, Encoding.UTF8, "application/json"));
            string text = await response.Content.ReadAsStringAsync();
            Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, body + " -> " + text);
            StringAssert.Contains(text, "\"error\"");
        }

        Assert.AreEqual(before, await http.GetStringAsync("/api/telephone-directory"));
        Assert.AreEqual(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/telephone-directory/4444")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/multiline-ip-sets/00:08:5d:00:00:99")).StatusCode);
        Assert.AreEqual(HttpStatusCode.BadRequest, (await http.DeleteAsync("/api/multiline-ip-sets/not-a-mac")).StatusCode);

        HttpResponseMessage same = await http.PutAsync("/api/system-options", new StringContent("""{"registrationAccessCode":"###"}""", Encoding.UTF8, "application/json"));
        Assert.AreEqual(HttpStatusCode.BadRequest, same.StatusCode, "registration and replacement codes must differ");
        Assert.AreEqual(HttpStatusCode.NoContent, (await http.PutAsync("/api/system-options", new StringContent("""{"registrationAccessCode":"*9*","automaticDnRange":"3000-3099"}""", Encoding.UTF8, "application/json"))).StatusCode);
        StringAssert.Contains(await http.GetStringAsync("/api/system-options"), "\"registrationAccessCode\":\"*9*\"");

        Assert.AreEqual(HttpStatusCode.Created, (await http.PostAsync("/api/telephone-directory", new StringContent("""{"number":"1001","name":"New"}""", Encoding.UTF8, "application/json"))).StatusCode);
        StringAssert.Contains(await http.GetStringAsync("/api/telephone-directory"), "\"number\":\"1001\"");
    }
}
