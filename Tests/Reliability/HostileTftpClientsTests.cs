using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Controller.Tftp;
using PhoneFirmware.Core.Boot;
using PhoneFirmware.Core.Events;
using Protocol.Dhcp;
using Protocol.Tftp;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Reliability;

/// <summary>
/// Issue 15, hostile TFTP clients against the controller's TFTP server on loopback, real sockets,
/// the attacker on 127.0.0.2 and the phone (its real boot-file stage) on 127.0.0.1: path escapes,
/// NUL bytes in names, write requests and absurd options are refused or bounded, and a request
/// flood from hundreds of ports of one host takes at most <see cref="TftpServerOptions.MaxTransfersPerSource"/>
/// slots while the phone keeps fetching within its usual time.
/// </summary>
[TestClass]
public sealed class HostileTftpClientsTests
{
    private const int PerSource = 8;
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static TestDirectory? s_directory;
    private static TftpServer? s_server;
    private static readonly LineLog s_log = new();

    [ClassInitialize]
    public static void StartServer(TestContext context)
    {
        s_directory = new TestDirectory("reliability-tftp");
        string root = Path.Combine(s_directory.Path, "root");
        Directory.CreateDirectory(root);
        byte[] image = new byte[256 * 1024];
        new Random(15).NextBytes(image);
        File.WriteAllBytes(Path.Combine(root, "boot.img"), image);
        File.WriteAllText(Path.Combine(s_directory.Path, "secret.txt"), "outside the root");
        File.CreateSymbolicLink(Path.Combine(root, "link-out.txt"), Path.Combine(s_directory.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(root, "dir-out"), s_directory.Path);
        s_server = new TftpServer(new TftpServerOptions { RootDirectory = root, BindAddress = IPAddress.Loopback, Port = 0, MaxTransfersPerSource = PerSource });
        s_server.Logged += s_log.Add;
        s_server.Start();
    }

    [ClassCleanup]
    public static void StopServer()
    {
        s_server?.Dispose();
        s_directory?.Dispose();
    }

    [TestMethod]
    public void PathEscapesNulBytesAndWritesAreRefusedWithAccessViolation()
    {
        string[] escapes = { "../secret.txt", "sub/../../secret.txt", "/etc/passwd", "link-out.txt", "dir-out/secret.txt", "..\\secret.txt" };
        foreach (string name in escapes)
        {
            TftpPacket reply = Exchange(TftpPacketWriter.Request(TftpOpcode.ReadRequest, name, "octet", Array.Empty<string>(), Array.Empty<string>()));
            Assert.AreEqual(TftpOpcode.Error, reply.Opcode, name + " was served");
            Assert.AreEqual(TftpErrorCode.AccessViolation, reply.ErrorCode, name + ": " + reply.ErrorMessage);
        }

        // A NUL inside the name ends it on the wire: "boot.img" then "../secret.txt" as the mode.
        TftpPacket nul = Exchange(Encoding.ASCII.GetBytes("\0\u0001boot.img\0../secret.txt\0octet\0"));
        Assert.AreEqual(TftpOpcode.Error, nul.Opcode, "a name with a NUL in it started a transfer");
        Assert.AreEqual(TftpErrorCode.IllegalOperation, nul.ErrorCode, nul.ErrorMessage);

        string target = Path.Combine(s_directory!.Path, "root", "boot.img");
        DateTime before = File.GetLastWriteTimeUtc(target);
        TftpPacket write = Exchange(TftpPacketWriter.Request(TftpOpcode.WriteRequest, "boot.img", "octet", Array.Empty<string>(), Array.Empty<string>()));
        Assert.AreEqual(TftpOpcode.Error, write.Opcode);
        Assert.AreEqual(TftpErrorCode.AccessViolation, write.ErrorCode, write.ErrorMessage);
        Assert.AreEqual(before, File.GetLastWriteTimeUtc(target), "a write request touched the file");
    }

    [TestMethod]
    public void AbsurdOptionsAreCappedOrLeftOut()
    {
        TftpPacket oack = Exchange(TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.img", "octet",
            new[] { "blksize", "windowsize", "timeout", "tsize" }, new[] { "99999999", "65535", "255", "123456789" }));
        Assert.AreEqual(TftpOpcode.OptionAck, oack.Opcode, oack.ErrorMessage);
        Assert.AreEqual("65464", oack.Option("blksize"), "blksize above the largest UDP payload");
        Assert.AreEqual("64", oack.Option("windowsize"), "windowsize above the server's window");
        Assert.IsNull(oack.Option("timeout"), "a 255 s timeout would let a silent client hold its slot for minutes");
        Assert.IsNull(oack.Option("tsize"), "tsize in a read request other than 0 has no meaning");

        // Out of range or not numbers: not granted, so no OACK and the first block at the defaults.
        TftpPacket data = Exchange(TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.img", "octet",
            new[] { "blksize", "windowsize", "timeout" }, new[] { "99999999999", "0", "x1" }));
        Assert.AreEqual(TftpOpcode.Data, data.Opcode, data.ErrorMessage);
        Assert.AreEqual(1, data.Block);
        Assert.AreEqual(512, data.DataLength);
    }

    [TestMethod]
    public void AFloodFromManyPortsTakesAtMostThePerSourceLimitAndThePhoneKeepsFetching()
    {
        double quiet = FetchMilliseconds(3);
        OutputCursor flood = s_log.Here();
        using CancellationTokenSource stop = new();
        int maximumActive = 0;
        int requests = 0;
        Thread attacker = new(() => requests = Flood(300, stop.Token)) { IsBackground = true };
        attacker.Start();
        Thread.Sleep(300);
        double attacked;
        try
        {
            Thread watcher = new(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    maximumActive = Math.Max(maximumActive, s_server!.ActiveTransfers);
                    Thread.Sleep(1);
                }
            })
            { IsBackground = true };
            watcher.Start();
            attacked = FetchMilliseconds(3);
        }
        finally
        {
            stop.Cancel();
            attacker.Join(10_000);
        }

        Assert.IsNotNull(flood.WaitFor("too many transfers from 127.0.0.2: " + PerSource + " running", TimeSpan.FromSeconds(5)), flood.Since);
        Assert.IsTrue(maximumActive <= PerSource + 1, "the flood held " + maximumActive + " transfers (limit " + PerSource + " plus the phone's)");
        double bound = Math.Max(2000, 10 * quiet);
        Console.WriteLine($"phone fetch of 256 KiB: slowest of 3 {quiet:F0} ms quiet, {attacked:F0} ms under a flood of {requests} requests from 300 ports (at most {maximumActive} transfers at once)");
        Assert.IsTrue(attacked < bound, $"the phone took {attacked:F0} ms under attack ({quiet:F0} ms quiet, bound {bound:F0} ms)");
    }

    // The phone's own boot-file stage fetching boot.img; the slowest of <paramref name="times"/> fetches.
    private static double FetchMilliseconds(int times)
    {
        ServerEndpoint endpoint = new() { Host = "127.0.0.1", Address = 0x7F000001, Port = s_server!.Port };
        double slowest = 0;
        for (int i = 0; i < times; i++)
        {
            Stopwatch watch = Stopwatch.StartNew();
            (List<PhoneEvent> events, BootFileStageState state) = BootFileFetch.Run(IPAddress.Loopback, new[] { endpoint }, "boot.img", TimeSpan.FromSeconds(30));
            Assert.AreEqual(BootFileStageState.Completed, state, BootFileFetch.Describe(events) + "\n" + s_log.Text);
            slowest = Math.Max(slowest, watch.Elapsed.TotalMilliseconds);
        }

        return slowest;
    }

    // Read requests from <paramref name="ports"/> sockets on the attacker's address, round and
    // round until stopped, never acknowledging: each accepted one holds a slot until it times out.
    private static int Flood(int ports, CancellationToken stop)
    {
        List<Socket> sockets = new();
        byte[] request = TftpPacketWriter.Request(TftpOpcode.ReadRequest, "boot.img", "octet", new[] { "timeout" }, new[] { "255" });
        IPEndPoint server = new(IPAddress.Loopback, s_server!.Port);
        int sent = 0;
        try
        {
            for (int i = 0; i < ports; i++)
            {
                Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(Attacker, 0));
                sockets.Add(socket);
            }

            while (!stop.IsCancellationRequested)
            {
                foreach (Socket socket in sockets)
                {
                    socket.SendTo(request, server);
                    sent++;
                }

                Thread.Sleep(5);
            }
        }
        finally
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
        }

        return sent;
    }

    // One request from the attacker's address and the first answer to it.
    private static TftpPacket Exchange(byte[] request)
    {
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(Attacker, 0));
        socket.ReceiveTimeout = 5000;
        socket.SendTo(request, new IPEndPoint(IPAddress.Loopback, s_server!.Port));
        byte[] buffer = new byte[70_000];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int length = socket.ReceiveFrom(buffer, ref from);
        TftpPacket reply = TftpPacket.Parse(buffer, 0, length);
        if (reply.Opcode != TftpOpcode.Error)
        {
            // End the transfer at once rather than leave it to time out.
            socket.SendTo(TftpPacketWriter.Error(TftpErrorCode.NotDefined, "done"), from);
        }

        return reply;
    }
}
