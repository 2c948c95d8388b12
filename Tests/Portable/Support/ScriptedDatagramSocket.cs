using System.Collections;
using Hal;

namespace Tests.Portable.Support;

/// <summary>A UDP socket whose arrivals the test queues and whose sends it reads back.</summary>
public sealed class ScriptedDatagramSocket : IDatagramSocket
{
    private readonly ArrayList _incoming = new ArrayList();
    private readonly ArrayList _sent = new ArrayList();

    public ScriptedDatagramSocket(int localPort)
    {
        LocalPort = localPort;
    }

    public int LocalPort { get; }

    public bool IsClosed { get; private set; }

    public int SentCount => _sent.Count;

    public void Arrive(byte[] data, uint address, int port)
    {
        _incoming.Add(new SentDatagram(data, address, port));
    }

    public SentDatagram Sent(int index)
    {
        return (SentDatagram)_sent[index]!;
    }

    public void Send(byte[] data, int offset, int count, uint address, int port)
    {
        _sent.Add(new SentDatagram(Bytes.Slice(data, offset, count), address, port));
    }

    public int Receive(byte[] buffer, out uint address, out int port)
    {
        address = 0;
        port = 0;
        if (_incoming.Count == 0)
        {
            return -1;
        }

        SentDatagram next = (SentDatagram)_incoming[0]!;
        _incoming.RemoveAt(0);
        System.Array.Copy(next.Data, buffer, next.Data.Length);
        address = next.Address;
        port = next.Port;
        return next.Data.Length;
    }

    public void Close()
    {
        IsClosed = true;
    }
}
