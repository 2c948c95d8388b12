using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PhoneFirmware.Core.Events;
using PhoneFirmware.Host;

namespace Tests.Integration;

/// <summary>
/// `phone --no-dhcp` on loopback: the phone takes the TFTP and call servers from its command line
/// (as option 125 would name them), fetches the boot file from our controller's TFTP server and
/// registers, without a DHCP exchange.
/// </summary>
[TestClass]
public class StaticAddressingOnLoopbackTests
{
    [TestMethod]
    public async Task APhoneWithNoDhcpBootsFromTheServersOnItsCommandLineAndRegisters()
    {
        await using LoopbackBench bench = new();
        string mac = "00:08:5d:00:1a:01";
        string tftp = "127.0.0.1:" + bench.Element.TftpPort;
        string callServer = "127.0.0.1:" + bench.Element.RegistrationPort;
        PhoneOptions options = PhoneOptions.Parse(new[]
        {
            "--mac", mac, "--flash", bench.FlashPath(mac), "--seed", "3", "--pin", "***1001",
            "--no-dhcp", "--address", "127.0.0.1/8", "--tftp-server", tftp, "--call-server", callServer,
        });
        List<PhoneEvent> events = new();
        using EmulatedPhone phone = new(options, null);
        phone.EventPublished += e => events.Add(e);
        bool registered = phone.Run(EventNames.Registered, TimeSpan.FromSeconds(30), CancellationToken.None);
        phone.Shutdown();
        string story = LoopbackBench.Describe(events);
        Assert.IsTrue(registered, story);

        PhoneEvent given = events.Find(e => e.Name == EventNames.StaticAddress)!;
        Assert.IsNotNull(given, story);
        Assert.AreEqual("127.0.0.1", given.Find("address"));
        Assert.AreEqual("255.0.0.0", given.Find("subnetMask"));
        CollectionAssert.AreEqual(new[] { callServer }, (string[])given.Find("callServers")!);
        CollectionAssert.AreEqual(new[] { tftp }, (string[])given.Find("tftpServers")!);
        Assert.AreEqual("127.0.0.1", events.Find(e => e.Name == EventNames.TftpDone)!.Find("server"), story);
        Assert.AreEqual(callServer, events.Find(e => e.Name == EventNames.Registered)!.Find("controller"), story);
        Assert.AreEqual("1001", events.Find(e => e.Name == EventNames.Registered)!.Find("dn"), story);
        Assert.IsFalse(events.Exists(e => e.Name.StartsWith("dhcp.", StringComparison.Ordinal)), story);
    }
}
