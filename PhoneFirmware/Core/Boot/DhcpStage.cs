using Hal;
using Protocol.Common;
using Protocol.Dhcp;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// Binds the portable DHCP client to the phone's UDP socket. Keeps running after the lease is
/// bound, because renewing and rebinding go on for as long as the phone is up.
/// </summary>
public sealed class DhcpStage
{
    private readonly INetworkInterface _network;
    private readonly PhoneSettings _settings;
    private readonly IRandomSource _random;
    private readonly byte[] _receiveBuffer = new byte[1500];
    private IDatagramSocket? _socket;
    private DhcpClient? _client;

    public DhcpStage(INetworkInterface network, PhoneSettings settings, IRandomSource random)
    {
        _network = network;
        _settings = settings;
        _random = random;
    }

    public DhcpClient? Client => _client;

    public void Start(long now, uint rememberedAddress)
    {
        Stop();
        _socket = _network.OpenDatagram(_settings.DhcpClientPort, true);
        _client = new DhcpClient(_network.MacAddress, _random);
        _client.Start(now, rememberedAddress);
    }

    /// <summary>Moves datagrams between socket and client; returns the client's next deadline.</summary>
    public long Step(long now)
    {
        if (_client == null || _socket == null)
        {
            return Deadline.None;
        }

        while (true)
        {
            int length = _socket.Receive(_receiveBuffer, out uint _, out int _);
            if (length < 0)
            {
                break;
            }

            _client.OnReceive(_receiveBuffer, 0, length, now);
        }

        while (true)
        {
            DhcpDatagram? datagram = _client.Poll(now);
            if (datagram == null)
            {
                break;
            }

            uint destination = datagram.Destination == Ipv4.Broadcast ? _settings.DhcpBroadcastAddress : datagram.Destination;
            _socket.Send(datagram.Data, 0, datagram.Data.Length, destination, _settings.DhcpServerPort);
        }

        return _client.NextDeadline;
    }

    /// <summary>Sends DHCPRELEASE when the phone shuts down cleanly.</summary>
    public void Release(long now)
    {
        if (_client != null && _socket != null && _client.Lease != null)
        {
            DhcpDatagram release = _client.Release(now);
            _socket.Send(release.Data, 0, release.Data.Length, release.Destination, _settings.DhcpServerPort);
        }
    }

    public void Stop()
    {
        if (_socket != null)
        {
            _socket.Close();
            _socket = null;
        }

        _client = null;
    }
}
