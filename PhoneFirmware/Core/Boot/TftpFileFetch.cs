using Hal;
using Protocol.Common;
using Protocol.Tftp;

namespace PhoneFirmware.Core.Boot;

/// <summary>
/// Binds one portable <see cref="TftpReadClient"/> to a UDP socket of its own, the way
/// <see cref="DhcpStage"/> binds the DHCP client: datagrams from the server's address go to the
/// client, the client's go out to the server's port (or the transfer port it learnt).
/// </summary>
public sealed class TftpFileFetch
{
    private readonly INetworkInterface _network;
    private static readonly byte[] NoBuffer = new byte[0];

    // One block and its header, plus one byte so an oversized block is seen as such; sized per
    // transfer and released when it stops: a registered phone holds none (64 KiB per phone before).
    private byte[] _receiveBuffer = NoBuffer;
    private IDatagramSocket? _socket;
    private TftpReadClient? _transfer;
    private uint _serverAddress;
    private int _serverPort;

    public TftpFileFetch(INetworkInterface network)
    {
        _network = network;
    }

    /// <summary>The transfer's state; Failed when none was started.</summary>
    public TftpTransferState State => _transfer == null ? TftpTransferState.Failed : _transfer.State;

    public string ErrorMessage => _transfer == null || _transfer.ErrorMessage == null ? "no transfer" : _transfer.ErrorMessage;

    /// <summary>The code of the server's ERROR that ended the transfer, or -1.</summary>
    public int ServerErrorCode => _transfer == null ? -1 : _transfer.ServerErrorCode;

    /// <summary>The request is unanswered or answered "busy": the server is being waited for (see <see cref="TftpReadClient.WaitingForServer"/>).</summary>
    public bool WaitingForServer => _transfer != null && _transfer.WaitingForServer;

    /// <summary>"no answer" or the server's busy message while <see cref="WaitingForServer"/>.</summary>
    public string WaitReason => _transfer == null || _transfer.WaitReason == null ? string.Empty : _transfer.WaitReason;

    /// <summary>Percent of the file, or -1 while its size is unknown.</summary>
    public int ProgressPercent => _transfer == null || _transfer.TransferSize <= 0 ? -1 : (int)(_transfer.BytesReceived * 100 / _transfer.TransferSize);

    public long NextDeadline => _transfer == null ? Deadline.None : _transfer.NextDeadline;

    /// <summary>Asks <paramref name="serverAddress"/>:<paramref name="serverPort"/> for <paramref name="file"/>; its bytes go to <paramref name="sink"/>.</summary>
    public void Start(long now, uint serverAddress, int serverPort, string file, TftpReadOptions options, ITftpDataSink sink)
    {
        Stop();
        _serverAddress = serverAddress;
        _serverPort = serverPort;
        _socket = _network.OpenDatagram(0, false);
        _receiveBuffer = new byte[ReceiveBufferSize(options.BlockSize)];
        _transfer = new TftpReadClient(file, options, sink);
        _transfer.Start(now);
        Flush(now);
    }

    /// <summary>Moves datagrams between socket and transfer; returns the transfer's next deadline.</summary>
    public long Step(long now)
    {
        if (_transfer == null || _socket == null)
        {
            return Deadline.None;
        }

        while (true)
        {
            int length = _socket.Receive(_receiveBuffer, out uint address, out int port);
            if (length < 0)
            {
                break;
            }

            if (address == _serverAddress)
            {
                _transfer.OnReceive(_receiveBuffer, 0, length, port, now);
            }
        }

        Flush(now);
        return _transfer.NextDeadline;
    }

    public void Stop()
    {
        if (_socket != null)
        {
            _socket.Close();
            _socket = null;
        }

        _transfer = null;
        _receiveBuffer = NoBuffer;
    }

    /// <summary>Bytes the receive buffer holds for a transfer asking for <paramref name="blockSize"/> (never less than RFC 1350's 512).</summary>
    public static int ReceiveBufferSize(int blockSize)
    {
        return 4 + (blockSize > TftpOptionNames.DefaultBlockSize ? blockSize : TftpOptionNames.DefaultBlockSize) + 1;
    }

    private void Flush(long now)
    {
        while (true)
        {
            TftpDatagram? datagram = _transfer!.Poll(now);
            if (datagram == null)
            {
                break;
            }

            int port = datagram.DestinationPort == 0 ? _serverPort : datagram.DestinationPort;
            _socket!.Send(datagram.Data, 0, datagram.Length, _serverAddress, port);
        }
    }
}
