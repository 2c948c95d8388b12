using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Protocol.Registration;

namespace RegistrationStorm;

/// <summary>What one storm or baseline run measured.</summary>
public sealed class RunResult
{
    public double Seconds { get; init; }

    public int Completed { get; init; }

    public int Redirected { get; init; }

    public int Connections { get; init; }

    public int Failed { get; init; }

    public string FirstFailure { get; init; } = string.Empty;

    /// <summary>Per-client time from its first connect to its answer, in milliseconds, sorted.</summary>
    public double[] Latencies { get; init; } = Array.Empty<double>();

    public double Rate => Completed / Seconds;

    /// <summary>The same storm as the elements served it (storms only; set by the caller).</summary>
    public PaceReading Pace { get; set; } = new();

    /// <summary>Every client's link, still open until <see cref="Close"/>.</summary>
    public LoadGenerator.Link[] Links { get; init; } = Array.Empty<LoadGenerator.Link>();

    public void Close()
    {
        foreach (LoadGenerator.Link link in Links)
        {
            link.Socket?.Dispose();
        }
    }

    public double Percentile(double p)
    {
        return Latencies.Length == 0 ? 0 : Latencies[Math.Min(Latencies.Length - 1, (int)(p / 100 * Latencies.Length))];
    }
}

/// <summary>
/// The emulated phones: one async socket each (no PhoneCore, no thread per phone), speaking the
/// registration protocol with <see cref="RegistrationCodec"/> and <see cref="RegistrationFrameReader"/>.
/// All start together; at most <c>concurrency</c> are between connect and answer at any moment
/// (the kernel's accept and SYN queues are finite). A registered phone keeps its link open, as a
/// real set does, until every phone is done.
/// </summary>
public static class LoadGenerator
{
    /// <summary>Connect to A, Register with the stored PIN, follow a Redirect, done at Registered.</summary>
    /// <remarks>Phone i of <paramref name="phones"/> for every i that is a multiple of <paramref name="step"/> (a warm-up takes every 10th).</remarks>
    public static async Task<RunResult> Storm(IPEndPoint elementA, int phones, int concurrency, int step = 1)
    {
        int count = (phones + step - 1) / step;
        byte[][] registers = new byte[count][];
        string[] dns = new string[count];
        for (int i = 0; i < count; i++)
        {
            dns[i] = Servers.Dn(i * step, phones);
            registers[i] = RegistrationCodec.Encode(RegistrationMessage.Register(Servers.Mac(i * step), 5320, "1.0.0", "***" + dns[i]));
        }

        return await Run(count, concurrency, async (i, open) =>
        {
            Socket socket = await Connect(elementA).ConfigureAwait(false);
            open.Socket = socket;
            RegistrationMessage reply = await Exchange(socket, registers[i]).ConfigureAwait(false);
            if (reply.Type == RegistrationMessageType.Redirect)
            {
                open.Redirected = true;
                socket.Dispose();
                socket = await Connect(new IPEndPoint(IPAddress.Parse(reply.Host), reply.Port)).ConfigureAwait(false);
                open.Socket = socket;
                reply = await Exchange(socket, registers[i]).ConfigureAwait(false);
            }

            if (reply.Type != RegistrationMessageType.Registered || reply.Dn != dns[i])
            {
                throw new InvalidOperationException("phone " + Servers.MacText(i * step) + " got " + reply.Type + " " + reply.Dn + reply.Text + " instead of Registered " + dns[i]);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>The physical limit: connect, one small request, its echo; the same number of clients.</summary>
    public static async Task<RunResult> Baseline(IPEndPoint echo, int clients, int concurrency)
    {
        // The request is the size of a Register frame, and the echo of it the size of the reply.
        byte[] request = RegistrationCodec.Encode(RegistrationMessage.Register(Servers.Mac(0), 5320, "1.0.0", "***" + Servers.Dn(0, clients)));
        return await Run(clients, concurrency, async (i, open) =>
        {
            Socket socket = await Connect(echo).ConfigureAwait(false);
            open.Socket = socket;
            await socket.SendAsync(request, SocketFlags.None).ConfigureAwait(false);
            byte[] buffer = new byte[request.Length];
            int received = 0;
            while (received < request.Length)
            {
                int count = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None).ConfigureAwait(false);
                if (count == 0)
                {
                    throw new InvalidOperationException("echo server closed the link");
                }

                received += count;
            }
        }).ConfigureAwait(false);
    }

    private static async Task<RunResult> Run(int clients, int concurrency, Func<int, Link, Task> client)
    {
        using SemaphoreSlim gate = new(concurrency);
        TaskCompletionSource go = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Link[] links = new Link[clients];
        double[] latencies = new double[clients];
        int failed = 0;
        string firstFailure = string.Empty;
        Task[] tasks = new Task[clients];
        for (int n = 0; n < clients; n++)
        {
            int i = n;
            links[i] = new Link();
            tasks[i] = Task.Run(async () =>
            {
                await go.Task.ConfigureAwait(false);
                await gate.WaitAsync().ConfigureAwait(false);
                long started = Stopwatch.GetTimestamp();
                try
                {
                    await client(i, links[i]).ConfigureAwait(false);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
                catch (Exception e) when (e is SocketException or InvalidOperationException or ProtocolFailure)
                {
                    if (Interlocked.Increment(ref failed) == 1)
                    {
                        firstFailure = e.Message;
                    }

                    latencies[i] = double.NaN;
                }
                finally
                {
                    gate.Release();
                }
            });
        }

        Stopwatch wall = Stopwatch.StartNew();
        go.SetResult();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        wall.Stop();

        int redirected = 0;
        foreach (Link link in links)
        {
            redirected += link.Redirected ? 1 : 0;
        }

        double[] ok = Array.FindAll(latencies, l => !double.IsNaN(l));
        Array.Sort(ok);
        return new RunResult
        {
            Seconds = wall.Elapsed.TotalSeconds,
            Completed = clients - failed,
            Redirected = redirected,
            Connections = clients + redirected,
            Failed = failed,
            FirstFailure = firstFailure,
            Latencies = ok,
            Links = links,
        };
    }

    private static async Task<Socket> Connect(IPEndPoint endpoint)
    {
        Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<RegistrationMessage> Exchange(Socket socket, byte[] frame)
    {
        await socket.SendAsync(frame, SocketFlags.None).ConfigureAwait(false);
        RegistrationFrameReader reader = new();
        byte[] buffer = new byte[RegistrationCodec.HeaderLength + RegistrationCodec.MaximumBodyLength];
        while (true)
        {
            int count = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            if (count == 0)
            {
                throw new ProtocolFailure("the element closed the link before answering");
            }

            try
            {
                reader.Append(buffer, 0, count);
                if (reader.TryRead() is RegistrationMessage message)
                {
                    return message;
                }
            }
            catch (Protocol.Common.ProtocolParseException e)
            {
                throw new ProtocolFailure("bad frame from the element: " + e.Message);
            }
        }
    }

    /// <summary>One client's link, kept open after it is done.</summary>
    public sealed class Link
    {
        public Socket? Socket { get; set; }

        public bool Redirected { get; set; }
    }

    private sealed class ProtocolFailure : Exception
    {
        public ProtocolFailure(string message)
            : base(message)
        {
        }
    }
}
