using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Threading;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using Protocol.Dhcp;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Tftp;

/// <summary>
/// The phone's boot-file stage (the code the device runs) fetching from tftpd-hpa on loopback:
/// with options (blksize 1468, tsize: the OACK seen at the phone's socket must grant both) and
/// with a server that has options turned off (no OACK, 512-byte blocks), falling back to the next
/// server when the first does not answer.
/// </summary>
[TestClass]
public sealed class PhoneAgainstTftpdHpaTests
{
    [TestMethod]
    public void FetchesWithOptions()
    {
        using TftpdHpa server = new(refuseOptions: false);
        TftpWireLog wire = new();
        List<PhoneEvent> events = Fetch(new[] { server.Endpoint }, "image.bin", out BootFileStageState state, wire);
        Assert.AreEqual(BootFileStageState.Completed, state, Describe(events));
        AssertDone(events, server);
        wire.AssertNegotiated(options: true, server.Image.Length, Describe(events));
    }

    [TestMethod]
    public void FetchesFromAServerWithOptionsTurnedOff()
    {
        using TftpdHpa server = new(refuseOptions: true);
        TftpWireLog wire = new();
        List<PhoneEvent> events = Fetch(new[] { server.Endpoint }, "image.bin", out BootFileStageState state, wire);
        Assert.AreEqual(BootFileStageState.Completed, state, Describe(events));
        AssertDone(events, server);
        wire.AssertNegotiated(options: false, server.Image.Length, Describe(events));
    }

    [TestMethod]
    public void FallsBackToTheNextServerAndReportsAMissingFile()
    {
        using TftpdHpa server = new(refuseOptions: false);
        ServerEndpoint silent = new() { Host = "127.0.0.1", Address = 0x7F000001, Port = FreePorts.Udp() };
        List<PhoneEvent> events = Fetch(new[] { silent, server.Endpoint }, "image.bin", out BootFileStageState state);
        Assert.AreEqual(BootFileStageState.Completed, state, Describe(events));
        Assert.AreEqual(1, events.FindAll(e => e.Name == EventNames.TftpFailed).Count, Describe(events));
        AssertDone(events, server);

        events = Fetch(new[] { server.Endpoint }, "missing.bin", out state);
        Assert.AreEqual(BootFileStageState.Failed, state);
        StringAssert.Contains((string)events.Find(e => e.Name == EventNames.TftpFailed)!.Find("reason")!, "server error 1");
    }

    private static void AssertDone(List<PhoneEvent> events, TftpdHpa server)
    {
        PhoneEvent done = events.Find(e => e.Name == EventNames.TftpDone)!;
        Assert.IsNotNull(done, Describe(events));
        Assert.AreEqual((long)server.Image.Length, done.Find("bytes"));
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(server.Image)).ToLowerInvariant(), done.Find("sha256"));
    }

    private static List<PhoneEvent> Fetch(ServerEndpoint[] servers, string file, out BootFileStageState state, TftpWireLog? wire = null)
    {
        (List<PhoneEvent> events, state) = BootFileFetch.Run(IPAddress.Loopback, servers, file, TimeSpan.FromSeconds(60), wire);
        return events;
    }

    private static string Describe(List<PhoneEvent> events)
    {
        return BootFileFetch.Describe(events);
    }

    /// <summary>tftpd-hpa in the foreground on a free loopback port, serving a random image.</summary>
    private sealed class TftpdHpa : IDisposable
    {
        private readonly TestDirectory _directory = new("tftpd-hpa");
        private readonly BackgroundProcess _process;

        public TftpdHpa(bool refuseOptions)
        {
            Image = new byte[1024 * 1024 + 333];
            new Random(5).NextBytes(Image);
            File.WriteAllBytes(Path.Combine(_directory.Path, "image.bin"), Image);
            Port = FreePorts.Udp();
            string options = refuseOptions ? " --refuse blksize --refuse tsize --refuse timeout" : string.Empty;
            _process = new BackgroundProcess(Peer.Require("/usr/sbin/in.tftpd"), "--foreground --listen --address 127.0.0.1:" + Port + " --user root --secure" + options + " " + _directory.Path, _directory.Path);
            Thread.Sleep(300);
            Assert.IsFalse(_process.HasExited, "in.tftpd did not start: " + _process.Output);
        }

        public byte[] Image { get; }

        public int Port { get; }

        public ServerEndpoint Endpoint => new() { Host = "127.0.0.1", Address = 0x7F000001, Port = Port };

        public void Dispose()
        {
            _process.Dispose();
            _directory.Dispose();
        }
    }
}
