using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Threading;
using Controller.Tftp;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using Protocol.Common;
using Protocol.Dhcp;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Tftp;

/// <summary>
/// TFTP across a link that loses 10% of the datagrams in each direction (<see cref="LossyLink"/>:
/// a veth pair into a network namespace): the phone's boot-file stage fetching from tftpd-hpa
/// and from atftpd, each running in the namespace, with options and from a server that refuses
/// them; and our server
/// (in this process, on this side of the link) serving curl and atftp running in the namespace.
/// Every file is checked by SHA-256, and each test checks that datagrams were really dropped.
/// </summary>
[TestClass]
public sealed class TftpUnderLossTests
{
    private const int LossPercent = 10;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void PhoneFetchesFromTftpdHpaWithOptions()
    {
        PhoneFetchesFromTftpdHpa(refuseOptions: false);
    }

    [TestMethod]
    public void PhoneFetchesFromTftpdHpaWithoutOptions()
    {
        PhoneFetchesFromTftpdHpa(refuseOptions: true);
    }

    [TestMethod]
    public void PhoneFetchesFromAtftpdWithOptions()
    {
        PhoneFetchesFromAtftpd(options: true);
    }

    [TestMethod]
    public void PhoneFetchesFromAtftpdWithoutOptions()
    {
        PhoneFetchesFromAtftpd(options: false);
    }

    [TestMethod]
    public void OurServerServesCurlWithAndWithoutOptions()
    {
        using TestDirectory directory = new("tftp-loss-curl");
        // Small: curl recovers a lost ACK only on its own timer, seconds per loss.
        byte[] image = WriteImage(directory.Path, 24 * 1024 + 77);
        using LossyLink link = new(LossPercent);
        using TftpServer server = StartServer(directory.Path, link);
        foreach (string options in new[] { "--tftp-blksize 1468", "--tftp-no-options" })
        {
            string output = Path.Combine(directory.Path, "curl-" + Guid.NewGuid().ToString("N"));
            (int exit, string text) = link.RunInside(Peer.Require("/usr/bin/curl"), "-sS " + options + " -o " + output + " tftp://" + link.HostAddress + ":" + server.Port + "/image.bin", directory.Path, TimeSpan.FromSeconds(150));
            Assert.AreEqual(0, exit, options + ": " + text);
            AssertSameFile(image, output, options);
        }

        AssertLossHappened(link);
    }

    // atftp 0.8.0 (the Debian client) stalls under loss when the server retransmits faster than
    // atftp's own timeout (5 s by default), whatever the server does right. Its receive loop
    // (tftp_file.c, tftp_receive_file) sends ONE extra ACK per gap ("got wrong block, sending
    // extra ACK") and then ignores every out-of-order or repeated DATA without answering
    // ("ignoring") until an in-order block arrives; and each ignored datagram restarts its
    // select() timeout (tftp_io.c, tftp_get_packet), so atftp never re-sends that ACK while the
    // server keeps retransmitting. If the one extra ACK is lost, the server's retransmissions all
    // go unanswered, it gives up after its retries ("client stopped answering"), and atftp, 5 s
    // after the last datagram, ACKs into the closed port, gets ECONNREFUSED ("tftp: unknown
    // error") and aborts. Its ACK timing makes that ACK matter: atftp counts windowsize blocks
    // since its own last ACK, not per server window, so after a gap it often holds a whole
    // window unacknowledged until a retransmission triggers the extra ACK (seen in about one
    // run in four with our server at timeout 1, windowsize 16, 10% loss; traced with --trace).
    // A second, rarer atftp abort: a retransmitted OACK (its ACK 0 was lost) is answered with
    // ERROR "unexpected OACK" instead of a new ACK 0.
    // The configuration atftp handles: its own retransmission interval (--tftp-timeout 1)
    // shorter than ours (timeout 3), so atftp re-sends its ACK after each silence and drives the
    // recovery; our server must then map its ACKs onto the window and ignore the duplicates.
    [TestMethod]
    public void OurServerServesAtftpWithAWindow()
    {
        using TestDirectory directory = new("tftp-loss-atftp");
        byte[] image = WriteImage(directory.Path, 256 * 1024 + 77);
        using LossyLink link = new(LossPercent);
        using TftpServer server = StartServer(directory.Path, link);
        string output = Path.Combine(directory.Path, "atftp-out");
        (int exit, string text) = link.RunInside(Peer.Require("/usr/bin/atftp"), "--trace --tftp-timeout 1 --option \"blksize 1468\" --option \"windowsize 16\" --option \"timeout 3\" --get -r image.bin -l " + output + " " + link.HostAddress + " " + server.Port, directory.Path, TimeSpan.FromSeconds(150));
        Assert.AreEqual(0, exit, text);
        Assert.IsTrue(text.Contains("windowsize: 16", StringComparison.Ordinal), "atftp did not get window 16: " + text);
        AssertSameFile(image, output, "atftp windowsize 16");
        AssertLossHappened(link);
    }

    private void PhoneFetchesFromTftpdHpa(bool refuseOptions)
    {
        using TestDirectory directory = new("tftp-loss-hpa");
        byte[] image = WriteImage(directory.Path, 128 * 1024 + 333);
        using LossyLink link = new(LossPercent);
        string refuse = refuseOptions ? " --refuse blksize --refuse tsize --refuse timeout" : string.Empty;

        // tftpd-hpa retransmits after 200 ms (default 1 s) so the lost blocks cost seconds, not minutes.
        using BackgroundProcess tftpd = link.StartInside(Peer.Require("/usr/sbin/in.tftpd"), "--foreground --listen --address " + link.PeerAddress + ":69 --user root --secure --retransmit 200000" + refuse + " " + directory.Path, directory.Path);
        // Wait until in.tftpd has bound its port in the namespace (a fixed pause was sometimes too short on a fresh machine).
        bool listening = false;
        for (int i = 0; i < 50 && !listening && !tftpd.HasExited; i++)
        {
            listening = link.RunInside("/usr/bin/ss", "-uln", directory.Path, TimeSpan.FromSeconds(5)).Output.Contains(link.PeerAddress + ":69", StringComparison.Ordinal);
            if (!listening)
            {
                Thread.Sleep(100);
            }
        }

        Assert.IsTrue(listening, "in.tftpd did not start listening: " + tftpd.Output);
        PhoneFetches(link, image, !refuseOptions, () => tftpd.Output);
    }

    // atftpd retransmits only after 5 s; the phone's own retransmitted ACK (1 s) makes it resend
    // sooner (atftpd answers a repeated ACK with the next block again when there is no window).
    private void PhoneFetchesFromAtftpd(bool options)
    {
        using TestDirectory directory = new("tftp-loss-atftpd");
        byte[] image = WriteImage(directory.Path, 64 * 1024 + 333);
        using LossyLink link = new(LossPercent);
        using Atftpd atftpd = new(directory.Path, link.PeerAddress, 69, options, link);
        OutputCursor transfer = atftpd.Here();
        PhoneFetches(link, image, options, () => atftpd.Output);
        Assert.IsNotNull(transfer.WaitFor(options ? "size 1468>" : "size 512>", TimeSpan.FromSeconds(5)), "block size atftpd sent:\n" + transfer.Since);
    }

    private void PhoneFetches(LossyLink link, byte[] image, bool options, Func<string> serverOutput)
    {
        Assert.IsTrue(Ipv4.TryParse(link.PeerAddress, out uint peer));
        ServerEndpoint endpoint = new() { Host = link.PeerAddress, Address = peer, Port = 69 };
        TftpWireLog wire = new();
        (List<PhoneEvent> fetched, BootFileStageState state) = BootFileFetch.Run(IPAddress.Parse(link.HostAddress), new[] { endpoint }, "image.bin", TimeSpan.FromSeconds(150), wire);
        string events = BootFileFetch.Describe(fetched);
        Assert.AreEqual(BootFileStageState.Completed, state, events + "\n" + serverOutput());
        PhoneEvent done = fetched.Find(e => e.Name == EventNames.TftpDone)!;
        Assert.IsNotNull(done, events);
        Assert.AreEqual((long)image.Length, done.Find("bytes"));
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(image)).ToLowerInvariant(), done.Find("sha256"));
        wire.AssertNegotiated(options, image.Length, events);
        AssertLossHappened(link);
    }

    private TftpServer StartServer(string root, LossyLink link)
    {
        TftpServer server = new(new TftpServerOptions { RootDirectory = root, BindAddress = IPAddress.Parse(link.HostAddress), Port = 0, RetransmitMs = 200 });
        server.Logged += line => TestContext.WriteLine(line);
        server.Start();
        return server;
    }

    private void AssertLossHappened(LossyLink link)
    {
        long dropped = link.Dropped;
        TestContext.WriteLine("loss " + link.LossPercent + "% by " + link.Mechanism + ": " + dropped + " datagrams dropped");
        Assert.IsTrue(dropped > 0, "the link dropped nothing (" + link.Mechanism + "): the test did not test loss");
    }

    private static byte[] WriteImage(string directory, int length)
    {
        byte[] image = new byte[length];
        new Random(length).NextBytes(image);
        File.WriteAllBytes(Path.Combine(directory, "image.bin"), image);
        return image;
    }

    private static void AssertSameFile(byte[] expected, string path, string what)
    {
        Assert.IsTrue(File.Exists(path), what + ": nothing written");
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(expected)), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))), what);
    }
}
