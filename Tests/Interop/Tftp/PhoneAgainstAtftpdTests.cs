using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using Protocol.Dhcp;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Tftp;

/// <summary>
/// The phone's boot-file stage (the code the device runs) fetching from atftpd on loopback: with
/// options (blksize 1468, tsize) and from an atftpd with every option turned off (the phone falls
/// back to RFC 1350). atftpd has no manifest, so the file is reported unverified.
/// </summary>
[TestClass]
public sealed class PhoneAgainstAtftpdTests
{
    [TestMethod]
    public void FetchesWithOptions()
    {
        FetchesImage(options: true);
    }

    [TestMethod]
    public void FetchesFromAServerWithOptionsTurnedOff()
    {
        FetchesImage(options: false);
    }

    private static void FetchesImage(bool options)
    {
        using TestDirectory directory = new("atftpd");
        byte[] image = new byte[1024 * 1024 + 333];
        new Random(7).NextBytes(image);
        File.WriteAllBytes(Path.Combine(directory.Path, "image.bin"), image);
        int port = FreePorts.Udp();
        using Atftpd server = new(directory.Path, "127.0.0.1", port, options);

        ServerEndpoint endpoint = new() { Host = "127.0.0.1", Address = 0x7F000001, Port = port };
        TftpWireLog wire = new();
        OutputCursor transfer = server.Here();
        (List<PhoneEvent> events, BootFileStageState state) = BootFileFetch.Run(IPAddress.Loopback, new[] { endpoint }, "image.bin", TimeSpan.FromSeconds(60), wire);
        string described = BootFileFetch.Describe(events) + "\n" + server.Output;
        Assert.AreEqual(BootFileStageState.Completed, state, described);
        PhoneEvent done = events.Find(e => e.Name == EventNames.TftpDone)!;
        Assert.IsNotNull(done, described);
        Assert.AreEqual((long)image.Length, done.Find("bytes"));
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(image)).ToLowerInvariant(), done.Find("sha256"));
        Assert.AreEqual(false, done.Find("verified"));
        Assert.IsNotNull(transfer.WaitFor(options ? "size 1468>" : "size 512>", TimeSpan.FromSeconds(5)), "block size atftpd sent:\n" + transfer.Since);
        wire.AssertNegotiated(options, image.Length, described);
    }
}
