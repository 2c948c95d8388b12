using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Controller.Database;
using Controller.Dhcp;
using Protocol.Dhcp;
using Tests.Support;

namespace Tests.Controller;

/// <summary>
/// Issue 13, the boot storm: every phone's DISCOVER reaches the DHCP socket at once. A burst sent
/// while the host is not yet reading (constructed, not started) is queued, not dropped: once it
/// starts, every DISCOVER is answered.
/// </summary>
[TestClass]
public sealed class DhcpServerHostBurstTests
{
    private const int Burst = 12_000;

    [TestMethod]
    public async Task ABurstOfDiscoversQueuedBeforeTheHostReadsIsAnsweredWhole()
    {
        using TestDirectory directory = new("dhcp-burst-storm-perf");
        using ElementDatabase database = ElementDatabase.Open(directory.File("element.db"));
        SqliteLeaseStore leases = new(database, new object());
        ControllerConfig config = new();
        config.Dhcp.PoolStart = "10.78.0.1";
        config.Dhcp.PoolEnd = "10.78.127.255";
        await using DhcpServerHost host = new(config, DhcpServerHostWire.PhoneConfig, leases, IPAddress.Loopback, 0);
        Assert.IsTrue(host.ReceiveBufferSize >= DhcpServerHost.ReceiveBufferBytes, "granted " + host.ReceiveBufferSize + " bytes (the test runs as root, as CI does)");
        using Socket client = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        IPEndPoint server = new(IPAddress.Loopback, host.Port);
        for (int n = 0; n < Burst; n++)
        {
            DhcpMessage discover = new() { Op = DhcpMessage.BootRequest, TransactionId = (uint)n, ClientHardwareAddress = new byte[] { 0x02, 0, 0x13, (byte)(n >> 16), (byte)(n >> 8), (byte)n } };
            discover.MessageType = DhcpMessageType.Discover;
            client.SendTo(discover.Encode(), server);
        }

        host.Start();
        Stopwatch waited = Stopwatch.StartNew();
        while (host.Answered + host.Dropped < Burst && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(20);
        }

        Assert.AreEqual((long)Burst, host.Answered, "DISCOVERs answered of the burst (the rest were dropped by the socket); refused: " + host.Dropped);
    }
}
