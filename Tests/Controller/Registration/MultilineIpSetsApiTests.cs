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

namespace Tests.Controller.Registration;

/// <summary>The Multiline IP Sets REST surface: delete by DN, clear the MAC alone, remote reservations; bad input 400, unknown 404.</summary>
[TestClass]
public sealed class MultilineIpSetsApiTests
{
    [TestMethod]
    public async Task SetsAreDeletedByMacOrByDnTheirMacClearedAloneAndReservedOnARemoteDn()
    {
        using TestDirectory directory = new("sets-api");
        ControllerConfig config = ConfigLoader.Parse("""
            {
              "element": { "name": "sets", "ceidIndex": 1, "ceidDigits": "1" },
              "ports": { "dhcp": 0, "tftp": 0, "registration": 0 },
              "database": "sets.db",
              "dhcp": { "enabled": false },
              "tftp": { "enabled": false },
              "telephoneDirectory": [ { "number": "1000", "name": "A" }, { "number": "1001", "name": "B" } ],
              "clusterElements": [ { "ceidIndex": 2, "ceidDigits": "2", "address": "127.0.0.1", "registrationPort": 1 } ],
              "remoteDirectoryNumbers": [ { "number": "2004", "ceidIndex": 2 } ],
              "multilineIpSets": [ { "mac": "00:08:5d:00:40:00", "dn": "1000", "pinMemory": true }, { "mac": "00:08:5d:00:40:01", "dn": "1001", "pinMemory": true } ]
            }
            """, Path.Combine(directory.Path, "sets.json"));
        config.Database = directory.File("sets.db");
        await using ControllerElement element = new(config);
        await element.StartAsync();
        (Uri address, string token) = AdminEndpoint.Read(element.AdminEndpointFile);
        using HttpClient http = new() { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.AreEqual(HttpStatusCode.BadRequest, (await http.DeleteAsync("/api/multiline-ip-sets/by-dn/12345678")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/multiline-ip-sets/by-dn/4444")).StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, (await http.DeleteAsync("/api/multiline-ip-sets/by-dn/1001/mac")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/multiline-ip-sets/by-dn/1001/mac")).StatusCode, "its MAC is already clear");
        StringAssert.Contains(await http.GetStringAsync("/api/multiline-ip-sets"), """{"mac":null,"dn":"1001","pinMemory":true}""");
        Assert.AreEqual(HttpStatusCode.OK, (await http.DeleteAsync("/api/multiline-ip-sets/by-dn/1000")).StatusCode);
        Assert.IsFalse((await http.GetStringAsync("/api/multiline-ip-sets")).Contains("\"1000\"", StringComparison.Ordinal));

        HttpResponseMessage unknown = await http.PostAsync("/api/multiline-ip-sets", Json("""{"mac":"00:08:5d:00:40:02","dn":"5555","pinMemory":false}"""));
        Assert.AreEqual(HttpStatusCode.BadRequest, unknown.StatusCode);
        StringAssert.Contains(await unknown.Content.ReadAsStringAsync(), "neither in the Telephone Directory nor in Remote Directory Numbers");
        Assert.AreEqual(HttpStatusCode.Created, (await http.PostAsync("/api/multiline-ip-sets", Json("""{"mac":"00:08:5d:00:40:02","dn":"2004","pinMemory":false}"""))).StatusCode);
        StringAssert.Contains(await http.GetStringAsync("/api/multiline-ip-sets/remote"), "\"mac\":\"00:08:5d:00:40:02\",\"dn\":\"2004\"");
        Assert.AreEqual(HttpStatusCode.OK, (await http.DeleteAsync("/api/multiline-ip-sets/00:08:5d:00:40:02")).StatusCode);
        Assert.AreEqual("[]", await http.GetStringAsync("/api/multiline-ip-sets/remote"));
    }

    private static StringContent Json(string body)
    {
        return new StringContent(body, Encoding.UTF8, "application/json");
    }
}
