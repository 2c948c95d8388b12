using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Controller.Tftp;
using Protocol.Tftp;
using Tests.Support;

namespace Tests.Integration;

/// <summary>
/// Issue 13, the cold boot storm: thousands of read requests reach the TFTP server's request
/// socket at once. They are queued, not dropped: a burst sent while the server is not yet
/// reading (constructed, not started) is answered whole once it starts. Each request names a
/// missing file, so each is one refusal (counted) and no transfer; one client port, so they
/// come one after the other.
/// </summary>
[TestClass]
public sealed class TftpServerRequestBurstTests
{
    private const int Burst = 3000;

    [TestMethod]
    public void ABurstOfReadRequestsQueuedBeforeTheServerReadsIsAnsweredWhole()
    {
        using TestDirectory root = new("tftp-burst-storm-perf");
        using TftpServer server = new(new TftpServerOptions { RootDirectory = root.Path, Port = 0 });
        Assert.IsTrue(server.ListenerReceiveBufferSize >= TftpServer.ListenerReceiveBufferBytes, "granted " + server.ListenerReceiveBufferSize + " bytes (the test runs as root, as CI does)");
        using Socket client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] request = TftpPacketWriter.Request(TftpOpcode.ReadRequest, "missing.img", "octet", new[] { "blksize" }, new[] { "1468" });
        EndPoint target = new IPEndPoint(IPAddress.Loopback, server.Port);
        for (int i = 0; i < Burst; i++)
        {
            client.SendTo(request, target);
        }

        server.Start();
        Stopwatch waited = Stopwatch.StartNew();
        while (server.RefusedRequests < Burst && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(20);
        }

        Assert.AreEqual((long)Burst, server.RefusedRequests, "requests answered of the burst (the rest were dropped by the request socket)");
    }
}
