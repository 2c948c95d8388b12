using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Protocol.Registration;

namespace Tests.Reliability;

/// <summary>
/// Phones registering as fast as they can against one registration port: each of
/// <c>clients</c> loops connect, Register with PIN ***DN, read the answer, close; every MAC that got
/// Registered is recorded with its DN: what the controller confirmed, and must not lose.
/// </summary>
public sealed class RegistrationStorm : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;
    private int _attempts;

    /// <param name="dns">The DNs to register, in order; client c takes every clients-th one from c.</param>
    public RegistrationStorm(int port, IReadOnlyList<string> dns, int clients, int macPrefix)
    {
        _clients = new Task[clients];
        for (int c = 0; c < clients; c++)
        {
            int first = c;
            _clients[c] = Task.Run(() => Client(port, dns, first, clients, macPrefix));
        }
    }

    /// <summary>MAC (aa:bb:... text) → DN for every Registered the controller sent.</summary>
    public ConcurrentDictionary<string, string> Confirmed { get; } = new();

    public int Attempts => Volatile.Read(ref _attempts);

    public static string Mac(int prefix, int index) => string.Format(CultureInfo.InvariantCulture, "00:08:5d:{0:x2}:{1:x2}:{2:x2}", prefix, index >> 8, index & 0xff);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_clients).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task Client(int port, IReadOnlyList<string> dns, int first, int step, int macPrefix)
    {
        for (int i = first; i < dns.Count && !_stop.IsCancellationRequested; i += step)
        {
            Interlocked.Increment(ref _attempts);
            string mac = Mac(macPrefix, i);
            try
            {
                using Socket socket = new(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync("127.0.0.1", port, _stop.Token).ConfigureAwait(false);
                byte[] register = RegistrationCodec.Encode(RegistrationMessage.Register(MacBytes(mac), 5320, "reliability", "***" + dns[i]));
                await socket.SendAsync(register, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                RegistrationMessage? reply = await ReadOne(socket).ConfigureAwait(false);
                if (reply != null && reply.Type == RegistrationMessageType.Registered)
                {
                    Confirmed[mac] = reply.Dn;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or Protocol.Common.ProtocolParseException)
            {
                // the controller went away (signalled, killed): what it confirmed so far is recorded
            }
        }
    }

    private async Task<RegistrationMessage?> ReadOne(Socket socket)
    {
        RegistrationFrameReader reader = new();
        byte[] buffer = new byte[4096];
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            int count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (count == 0)
            {
                return null;
            }

            reader.Append(buffer, 0, count);
            if (reader.TryRead() is RegistrationMessage message)
            {
                return message;
            }
        }
    }

    private static byte[] MacBytes(string mac)
    {
        string[] parts = mac.Split(':');
        byte[] bytes = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            bytes[i] = byte.Parse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        return bytes;
    }
}
