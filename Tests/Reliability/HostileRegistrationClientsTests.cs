using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Registration;
using Protocol.Registration;
using Tests.Integration;

namespace Tests.Reliability;

/// <summary>
/// Issue 15, hostile clients on the registration port (loopback, bounded): silent links, half
/// frames, one byte at a time, oversize length prefixes, garbage after a valid Register and more
/// links than one source may hold — all closed or refused by the limits (ConnectionLimits), while
/// a real phone keeps registering within its usual time.
/// </summary>
[TestClass]
public class HostileRegistrationClientsTests
{
    private const string Config = """
        {
          "element": { "name": "hostile", "ceidIndex": 1, "ceidDigits": "1" },
          "listenAddress": "127.0.0.1",
          "ports": { "dhcp": 0, "tftp": 0, "registration": 0 },
          "database": "element.db",
          "dhcp": { "enabled": false },
          "tftp": { "enabled": false },
          "registration": { "firstFrameSeconds": 1, "idleSeconds": 2, "maxConnectionsPerSource": 100 },
          "telephoneDirectory": [ { "number": "1000", "name": "Real set" } ]
        }
        """;

    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.3");
    private static readonly byte[] RealMac = { 0x00, 0x08, 0x5d, 0x54, 0x00, 0x01 };

    [TestMethod]
    public async Task SilentHalfTricklingOversizeAndGarbageLinksAreClosedAndARealPhoneKeepsRegistering()
    {
        await using LoopbackBench bench = new(Config);
        int port = bench.Element.RegistrationPort;
        ConnectionLimits limits = bench.Element.Registration!.Limits;
        double quietP99 = Percentile99(await RealPhone(port, 30));

        // 300 silent links from one source (127.0.0.2): 100 admitted (then timed out), 200 refused at accept.
        List<Socket> silent = new();
        for (int i = 0; i < 300; i++)
        {
            silent.Add(await Connect(port, Flooder));
        }

        // From another source (127.0.0.3): half a frame, a frame one byte every 300 ms, an absurd length prefix, garbage after a Register.
        byte[] register = RegistrationCodec.Encode(RegistrationMessage.Register(new byte[] { 0, 8, 0x5d, 0x54, 0, 2 }, 5320, "x", "***1000"));
        Task<bool> half = ClosedWithin(port, register[..3], TimeSpan.FromSeconds(5));
        Task<bool> trickle = Trickle(port, register, TimeSpan.FromMilliseconds(300));
        Task<bool> oversize = ClosedWithin(port, new byte[] { 1, 1, 0xFF, 0xFF }, TimeSpan.FromSeconds(5));
        byte[] garbage = new byte[register.Length + 64];
        register.CopyTo(garbage, 0);
        new Random(15).NextBytes(garbage.AsSpan(register.Length));
        garbage[register.Length] = 9; // a version no frame has
        Task<bool> afterRegister = ClosedWithin(port, garbage, TimeSpan.FromSeconds(5));

        double attackedP99 = Percentile99(await RealPhone(port, 30));
        Assert.IsTrue(await half, "a half frame held its link past the first-frame time");
        Assert.IsTrue(await trickle, "a link sending one byte at a time was not closed");
        Assert.IsTrue(await oversize, "an oversize length prefix did not close the link");
        Assert.IsTrue(await afterRegister, "garbage after a Register did not close the link");
        Assert.IsTrue(limits.Refused >= 200, "refused " + limits.Refused + " of 300 links from one source (limit 100)");
        await WaitFor(() => limits.TimedOut >= 100, TimeSpan.FromSeconds(10));
        Assert.IsTrue(limits.TimedOut >= 100, "timed out " + limits.TimedOut);
        Assert.IsTrue(bench.Element.Registration.MalformedFrames >= 2, "malformed " + bench.Element.Registration.MalformedFrames);
        foreach (Socket socket in silent)
        {
            socket.Dispose();
        }

        Assert.IsTrue(attackedP99 < Math.Max(500, quietP99 * 10), $"p99 {attackedP99:0.0} ms under attack, {quietP99:0.0} ms without");
        Console.WriteLine($"real phone p99: {quietP99:0.0} ms quiet, {attackedP99:0.0} ms under attack; refused {limits.Refused}, timed out {limits.TimedOut}, malformed {bench.Element.Registration.MalformedFrames}");
    }

    // A real set re-registering with its stored PIN, one link per registration, from 127.0.0.1: the latencies in ms.
    private static async Task<List<double>> RealPhone(int port, int times)
    {
        List<double> latencies = new();
        byte[] register = RegistrationCodec.Encode(RegistrationMessage.Register(RealMac, 5320, "1.0.0", "***1000"));
        for (int i = 0; i < times; i++)
        {
            Stopwatch took = Stopwatch.StartNew();
            using Socket socket = new(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await socket.SendAsync(register, SocketFlags.None);
            RegistrationFrameReader reader = new();
            byte[] buffer = new byte[2048];
            RegistrationMessage? reply = null;
            using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
            while (reply == null)
            {
                int count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                Assert.AreNotEqual(0, count, "the real phone's link was closed");
                reader.Append(buffer, 0, count);
                reply = reader.TryRead();
            }

            Assert.AreEqual(RegistrationMessageType.Registered, reply.Type);
            latencies.Add(took.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }

    private static double Percentile99(List<double> values)
    {
        values.Sort();
        return values[(int)Math.Ceiling(values.Count * 0.99) - 1];
    }

    private static async Task<Socket> Connect(int port, IPAddress? source = null)
    {
        Socket socket = new(SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source ?? Attacker, 0));
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return socket;
    }

    // Sends the bytes and waits for the server to close the link (read returns 0 or resets); true when it did in time.
    private static async Task<bool> ClosedWithin(int port, byte[] bytes, TimeSpan limit)
    {
        using Socket socket = await Connect(port);
        await socket.SendAsync(bytes, SocketFlags.None);
        return await SeesClose(socket, limit);
    }

    private static async Task<bool> Trickle(int port, byte[] frame, TimeSpan interval)
    {
        using Socket socket = await Connect(port);
        Stopwatch sending = Stopwatch.StartNew();
        try
        {
            foreach (byte b in frame)
            {
                await socket.SendAsync(new[] { b }, SocketFlags.None);
                await Task.Delay(interval);
            }
        }
        catch (SocketException)
        {
            return sending.Elapsed < TimeSpan.FromSeconds(3); // refused mid-way: closed by the first-frame time
        }

        return await SeesClose(socket, TimeSpan.FromSeconds(1)) && sending.Elapsed < TimeSpan.FromSeconds(3);
    }

    private static async Task<bool> SeesClose(Socket socket, TimeSpan limit)
    {
        using CancellationTokenSource timeout = new(limit);
        byte[] buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitFor(Func<bool> condition, TimeSpan limit)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < limit)
        {
            await Task.Delay(50);
        }
    }
}
