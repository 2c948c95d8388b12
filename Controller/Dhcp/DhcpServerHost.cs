using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Protocol.Common;
using Protocol.Dhcp;

namespace Controller.Dhcp;

/// <summary>
/// The element's DHCP server: one UDP socket driving the sans-IO <see cref="DhcpServer"/>.
/// Replies go back to the request's source when it has one (a relay, a renewing client, or a
/// phone on the loopback bench); a client with no address yet gets a broadcast to port 68.
/// Time is wall-clock Unix milliseconds so that lease expiry survives a controller restart.
/// </summary>
public sealed class DhcpServerHost : IAsyncDisposable
{
    private const int ClientPort = 68;
    private readonly DhcpServer _server;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _dropped;

    public DhcpServerHost(ControllerConfig config, string phoneConfigString, IDhcpLeaseStore leases, IPAddress listen, int port)
    {
        _server = new DhcpServer(BuildConfig(config, phoneConfigString, listen), leases);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.EnableBroadcast = true;
        _socket.Bind(new IPEndPoint(listen, port));
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Requests that could not be answered (malformed, or not for us).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Start()
    {
        _loop = Task.Run(Loop);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        if (_loop != null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    public static DhcpServerConfig BuildConfig(ControllerConfig config, string phoneConfigString, IPAddress listen)
    {
        DhcpServerConfig server = new()
        {
            ServerAddress = HostAddress(config.AdvertisedAddress ?? listen.ToString()),
            PoolStart = HostAddress(config.Dhcp.PoolStart),
            PoolEnd = HostAddress(config.Dhcp.PoolEnd),
            SubnetMask = HostAddress(config.Dhcp.SubnetMask),
            Router = HostAddress(config.Dhcp.Router),
            DnsServers = config.Dhcp.DnsServers.ConvertAll(HostAddress).ToArray(),
            LeaseSeconds = (uint)config.Dhcp.LeaseSeconds,
            PhoneConfigString = phoneConfigString,
            Option125Encoding = config.Dhcp.Option125Encoding,
        };
        foreach (KeyValuePair<string, string> reservation in config.Dhcp.Reservations)
        {
            server.AddReservation(Forms.FormValidation.Mac(reservation.Key), HostAddress(reservation.Value));
        }

        return server;
    }

    private static uint HostAddress(string text)
    {
        if (!Ipv4.TryParse(text, out uint address))
        {
            throw new ConfigException("not an IPv4 address: '" + text + "'");
        }

        return address;
    }

    private async Task Loop()
    {
        byte[] buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            DhcpDatagram? reply = _server.Handle(buffer, 0, received.ReceivedBytes, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (reply == null)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            IPEndPoint source = (IPEndPoint)received.RemoteEndPoint;
            EndPoint destination = source.Address.Equals(IPAddress.Any)
                ? new IPEndPoint(IPAddress.Broadcast, ClientPort)
                : source;
            try
            {
                await _socket.SendToAsync(reply.Data, SocketFlags.None, destination, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _dropped);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
