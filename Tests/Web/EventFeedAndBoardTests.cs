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
using Controller.Events;
using Controller.Web;
using Tests.Support;

namespace Tests.Web;

/// <summary>The web admin's parts below the pages: the event feed, the registrations board, the admin bind address, the rename of a DN over REST.</summary>
[TestClass]
public sealed class EventFeedAndBoardTests
{
    [TestMethod]
    public async Task TheFeedKeepsTheLastEventsAndASubscriberGetsOnlyNewOnesInOrder()
    {
        ControllerEventFeed feed = new();
        for (int i = 0; i < ControllerEventFeed.Capacity + 5; i++)
        {
            feed.Publish(ControllerEventKinds.Tftp, "tftp", "transfer " + i);
        }

        Assert.AreEqual(ControllerEventFeed.Capacity, feed.Recent().Count);
        Assert.AreEqual("transfer 5", feed.Recent()[0].Detail, "the oldest are dropped");
        using ControllerEventFeed.Subscription subscription = feed.Subscribe();
        feed.Publish(ControllerEventKinds.Redirect, "00:08:5d:00:20:00", "to 127.0.0.1:6810");
        feed.Publish(ControllerEventKinds.Reset, "00:08:5d:00:10:00", "reset (dn-deleted)");
        ControllerEvent first = await subscription.Reader.ReadAsync();
        ControllerEvent second = await subscription.Reader.ReadAsync();
        Assert.AreEqual(ControllerEventKinds.Redirect, first.Kind);
        Assert.AreEqual(ControllerEventKinds.Reset, second.Kind);
        Assert.IsTrue(second.Sequence == first.Sequence + 1);
        Assert.IsFalse(subscription.Reader.TryRead(out _), "nothing from before the subscription");
    }

    [TestMethod]
    public void TheBoardKeepsADisconnectedSetMarkedAndDropsAResetOne()
    {
        RegistrationBoard board = new();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        board.Registered("00:08:5d:00:10:00", "1000", "Bench set 1000", RegisteredBy.TypedPin, secondary: false, now);
        board.Registered("00:08:5d:00:10:01", "1001", "Bench set 1001", RegisteredBy.StoredPin, secondary: true, now);
        board.Disconnected("00:08:5d:00:10:01");
        board.Left("00:08:5d:00:10:00");
        Assert.AreEqual(1, board.Rows().Count);
        RegistrationRow row = board.Rows()[0];
        Assert.AreEqual("1001", row.Dn);
        Assert.IsFalse(row.Connected);
        Assert.IsTrue(row.Secondary);
        Assert.AreEqual(RegisteredBy.StoredPin, row.By);
    }

    [TestMethod]
    public void TheAdminPagesBindToLoopbackUnlessConfigured_AndAnotherAddressIsWarnedAbout()
    {
        using StringWriter quiet = new();
        Assert.AreEqual(IPAddress.Loopback, AdminBind.Resolve(null, quiet));
        Assert.AreEqual(string.Empty, quiet.ToString());
        using StringWriter log = new();
        Assert.AreEqual(IPAddress.Any, AdminBind.Resolve("0.0.0.0", log));
        StringAssert.Contains(log.ToString(), "WARNING");
        ConfigException error = Assert.ThrowsExactly<ConfigException>(() => AdminBind.Resolve("admin.example", TextWriter.Null));
        StringAssert.Contains(error.Message, "admin.bindAddress");
    }

    [TestMethod]
    public async Task ADnIsRenamedOverRestAndABadNameOrUnknownDnChangesNothing()
    {
        using TestDirectory directory = new("web-rename");
        ControllerConfig config = Config(directory, "rename", """
              "telephoneDirectory": [ { "number": "1000", "name": "Old" } ]
            """);
        await using ControllerElement element = new(config);
        await element.StartAsync();
        using HttpClient http = new() { BaseAddress = element.AdminAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", element.AdminToken);

        HttpResponseMessage tooLong = await http.PutAsync("/api/telephone-directory/1000", Json("""{"name":"a name much longer than twenty"}"""));
        Assert.AreEqual(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await http.PutAsync("/api/telephone-directory/4444", Json("""{"name":"x"}"""))).StatusCode);
        Assert.AreEqual("Old", element.Forms.TelephoneDirectory.Find("1000"));
        Assert.AreEqual(HttpStatusCode.NoContent, (await http.PutAsync("/api/telephone-directory/1000", Json("""{"name":"New"}"""))).StatusCode);
        Assert.AreEqual("New", element.Forms.TelephoneDirectory.Find("1000"));
    }

    [TestMethod]
    public async Task APromptWithItsReasonAndALockOutReachTheEventLog()
    {
        using TestDirectory directory = new("web-lockout");
        ControllerConfig config = Config(directory, "lockout", """
              "admin": { "enabled": false },
              "registration": { "wrongPinLimit": 2 },
              "telephoneDirectory": [ { "number": "1000", "name": "Set" } ]
            """);
        await using ControllerElement element = new(config);
        element.Start();
        using ControllerEventFeed.Subscription events = element.Events.Subscribe();
        using System.Net.Sockets.TcpClient phone = new();
        await phone.ConnectAsync(IPAddress.Loopback, element.RegistrationPort);
        System.Net.Sockets.NetworkStream stream = phone.GetStream();
        byte[] mac = { 0x00, 0x08, 0x5d, 0x00, 0x77, 0x01 };
        await Send(stream, Protocol.Registration.RegistrationMessage.Register(mac, 5320, "1.0", null));
        ControllerEvent prompt = await Next(events, ControllerEventKinds.PinPrompt);
        Assert.AreEqual("00:08:5d:00:77:01", prompt.Subject);
        StringAssert.Contains(prompt.Detail, "no PIN stored");

        await Send(stream, Protocol.Registration.RegistrationMessage.PinEntry("***9999"));
        StringAssert.Contains((await Next(events, ControllerEventKinds.PinPrompt)).Detail, "wrong PIN");
        await Send(stream, Protocol.Registration.RegistrationMessage.PinEntry("***9998"));
        ControllerEvent lockOut = await Next(events, ControllerEventKinds.LockOut);
        Assert.AreEqual("00:08:5d:00:77:01", lockOut.Subject);
    }

    [TestMethod]
    public async Task AFailoverToTheSecondaryElementReachesTheEventLogAndTheBoard()
    {
        using TestDirectory directory = new("web-failover");
        ControllerConfig config = Config(directory, "secondary", """
              "admin": { "enabled": false },
              "clusterElements": [ { "ceidIndex": 2, "ceidDigits": "2", "address": "127.0.0.1", "registrationPort": 9, "comment": "primary" } ],
              "remoteDirectoryNumbers": [ { "number": "2000", "ceidIndex": 2, "secondaryCeidIndex": 1 } ]
            """);
        await using ControllerElement element = new(config);
        element.Start();
        using ControllerEventFeed.Subscription events = element.Events.Subscribe();
        using System.Net.Sockets.TcpClient phone = new();
        await phone.ConnectAsync(IPAddress.Loopback, element.RegistrationPort);
        Protocol.Registration.RegistrationMessage register = Protocol.Registration.RegistrationMessage.Register(new byte[] { 0x00, 0x08, 0x5d, 0x00, 0x77, 0x02 }, 5320, "1.0", "***2000");
        register.Failover = true;
        await Send(phone.GetStream(), register);

        ControllerEvent failover = await Next(events, ControllerEventKinds.Failover);
        Assert.AreEqual("00:08:5d:00:77:02", failover.Subject);
        StringAssert.Contains(failover.Detail, "DN 2000");
        StringAssert.Contains((await Next(events, ControllerEventKinds.Registered)).Detail, "secondary");
        RegistrationRow row = element.Registrations.Rows()[0];
        Assert.IsTrue(row.Secondary);
        Assert.AreEqual(RegisteredBy.StoredPin, row.By);
    }

    // An element on free ports with no DHCP or TFTP; FORMS is the rest of its JSON (comma-separated fields).
    private static ControllerConfig Config(TestDirectory directory, string name, string forms)
    {
        string json = "{ \"element\": { \"name\": \"" + name + "\", \"ceidIndex\": 1, \"ceidDigits\": \"1\" },"
            + " \"ports\": { \"dhcp\": 0, \"tftp\": 0, \"registration\": 0 }, \"database\": \"" + name + ".db\","
            + " \"dhcp\": { \"enabled\": false }, \"tftp\": { \"enabled\": false }, " + forms + " }";
        ControllerConfig config = ConfigLoader.Parse(json, directory.File(name + ".json"));
        config.Database = directory.File(name + ".db"); // Parse leaves paths as written
        return config;
    }

    private static async Task Send(System.Net.Sockets.NetworkStream stream, Protocol.Registration.RegistrationMessage message)
    {
        byte[] frame = Protocol.Registration.RegistrationCodec.Encode(message);
        await stream.WriteAsync(frame);
    }

    // The next event of a kind, from the subscription's position on (never an earlier one).
    private static async Task<ControllerEvent> Next(ControllerEventFeed.Subscription events, string kind)
    {
        using System.Threading.CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        while (true)
        {
            ControllerEvent e = await events.Reader.ReadAsync(timeout.Token);
            if (e.Kind == kind)
            {
                return e;
            }
        }
    }

    private static StringContent Json(string body)
    {
        return new StringContent(body, Encoding.UTF8, "application/json");
    }
}
