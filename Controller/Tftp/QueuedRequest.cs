using System.Net;
using Protocol.Tftp;

namespace Controller.Tftp;

/// <summary>A read request waiting in <see cref="TftpServer"/>'s admission queue.</summary>
internal sealed class QueuedRequest
{
    public QueuedRequest(TftpPacket request, IPEndPoint client, TftpClientTicket ticket, long queuedAt)
    {
        Request = request;
        Client = client;
        Ticket = ticket;
        QueuedAt = queuedAt;
    }

    public TftpPacket Request { get; }

    public IPEndPoint Client { get; }

    public TftpClientTicket Ticket { get; }

    public long QueuedAt { get; }
}
