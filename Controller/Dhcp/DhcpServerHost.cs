using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Controller.Configuration;
using Protocol.Common;
using Protocol.Dhcp;

namespace Controller.Dhcp;

/// <summary>
/// The element's DHCP server: one UDP socket driving the sans-IO <see cref="DhcpServer"/>.
/// On a real segment (a non-loopback <c>listenAddress</c>) the socket is bound to 0.0.0.0 on the
/// interface that owns <c>listenAddress</c> (SO_BINDTODEVICE), because Linux does not deliver
/// 255.255.255.255 datagrams to a socket bound to a unicast address; a DISCOVER is such a
/// broadcast. Replies go where the sans-IO server says (RFC 2131 §4.1: the relay's port 67,
/// else the client's <c>ciaddr</c>, else 255.255.255.255:68), except on the loopback bench,
/// where the phone listens on the port it sent from and gets the reply there.
/// Time is wall-clock Unix milliseconds so that lease expiry survives a controller restart.
/// </summary>
public sealed class DhcpServerHost : IAsyncDisposable
{
    private const int ClientPort = 68;
    private const int ServerPort = 67;
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
        Interface = InterfaceOwning(listen);
        if (Interface != null)
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            BindToDevice(_socket, Interface);
            _socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }
        else
        {
            _socket.Bind(new IPEndPoint(listen, port));
        }
    }

    /// <summary>The interface the socket is bound to (it owns listenAddress), or null on loopback or 0.0.0.0.</summary>
    public string? Interface { get; }

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

    /// <summary>Where a reply goes: see the class summary.</summary>
    public static IPEndPoint Destination(IPEndPoint source, uint destination, uint relay)
    {
        if (IPAddress.IsLoopback(source.Address))
        {
            return source;
        }

        if (destination == Ipv4.Broadcast)
        {
            return new IPEndPoint(IPAddress.Broadcast, ClientPort);
        }

        IPAddress address = new(new[] { (byte)(destination >> 24), (byte)(destination >> 16), (byte)(destination >> 8), (byte)destination });
        return new IPEndPoint(address, relay != 0 && destination == relay ? ServerPort : ClientPort);
    }

    // giaddr: bytes 24-27 of the BOOTP header (the server only answers well-formed requests).
    private static uint RelayAddress(byte[] request, int length)
    {
        return length < 28 ? 0 : ((uint)request[24] << 24) | ((uint)request[25] << 16) | ((uint)request[26] << 8) | request[27];
    }

    private static string? InterfaceOwning(IPAddress listen)
    {
        if (IPAddress.IsLoopback(listen) || listen.Equals(IPAddress.Any) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (NetworkInterface candidate in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (UnicastIPAddressInformation unicast in candidate.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.Equals(listen))
                {
                    return candidate.Name;
                }
            }
        }

        return null;
    }

    // SO_BINDTODEVICE (Linux): receive and send on this interface only.
    private static void BindToDevice(Socket socket, string interfaceName)
    {
        const int SolSocket = 1;
        const int SoBindToDevice = 25;
        byte[] name = new byte[interfaceName.Length + 1];
        for (int i = 0; i < interfaceName.Length; i++)
        {
            name[i] = (byte)interfaceName[i];
        }

        socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
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

            EndPoint destination = Destination((IPEndPoint)received.RemoteEndPoint, reply.Destination, RelayAddress(buffer, received.ReceivedBytes));
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
