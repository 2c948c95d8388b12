using System;
using System.Collections.Generic;
using System.Text;
using Hal;

namespace Tests.Interop.Support;

/// <summary>
/// What the phone's TFTP client really got from the server, as seen at its sockets: the options
/// of the server's OACK (none when the server ignored or refused them all) and the payload size
/// of the first DATA block, i.e. the block size the server actually used.
/// </summary>
public sealed class TftpWireLog
{
    private const int OpcodeData = 3;
    private const int OpcodeOack = 6;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _oack = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>OACKs received (a retransmitted one counts again).</summary>
    public int Oacks { get; private set; }

    /// <summary>Payload bytes of the first DATA block received, -1 before one arrived.</summary>
    public int FirstDataLength { get; private set; } = -1;

    /// <summary>The value the OACK gave an option, or null when it did not acknowledge it.</summary>
    public string? Acknowledged(string option)
    {
        lock (_gate)
        {
            return _oack.TryGetValue(option, out string? value) ? value : null;
        }
    }

    /// <summary>
    /// Asserts what the phone's request (blksize 1468, tsize 0) got: with <paramref name="options"/>
    /// an OACK with both and 1468-byte blocks; without (a server refusing them), neither granted
    /// (no OACK, or an empty one) and RFC 1350's 512-byte blocks.
    /// </summary>
    public void AssertNegotiated(bool options, long fileSize, string story)
    {
        string seen = Describe() + "\n" + story;
        if (options)
        {
            Assert.IsTrue(Oacks > 0, "no OACK: " + seen);
            Assert.AreEqual("1468", Acknowledged("blksize"), "blksize acknowledged: " + seen);
            Assert.AreEqual(fileSize.ToString(System.Globalization.CultureInfo.InvariantCulture), Acknowledged("tsize"), "tsize acknowledged: " + seen);
            Assert.AreEqual(1468, FirstDataLength, "block size used: " + seen);
        }
        else
        {
            // tftpd-hpa --refuse answers with an empty OACK, atftpd with plain DATA: neither grants one.
            Assert.IsNull(Acknowledged("blksize"), "the server refuses options, yet granted blksize: " + seen);
            Assert.IsNull(Acknowledged("tsize"), "the server refuses options, yet granted tsize: " + seen);
            Assert.AreEqual(512, FirstDataLength, "block size used: " + seen);
        }
    }

    /// <summary>One line for assertion messages.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            List<string> pairs = new();
            foreach (KeyValuePair<string, string> pair in _oack)
            {
                pairs.Add(pair.Key + "=" + pair.Value);
            }

            return "OACKs " + Oacks + " {" + string.Join(", ", pairs) + "}, first DATA " + FirstDataLength + " bytes";
        }
    }

    /// <summary>The phone's network, with every datagram its sockets receive recorded here.</summary>
    public INetworkInterface Watch(INetworkInterface network)
    {
        return new WatchedNetwork(network, this);
    }

    private void Received(byte[] buffer, int count)
    {
        if (count < 2)
        {
            return;
        }

        int opcode = (buffer[0] << 8) | buffer[1];
        lock (_gate)
        {
            if (opcode == OpcodeData && FirstDataLength < 0 && count >= 4)
            {
                FirstDataLength = count - 4;
            }
            else if (opcode == OpcodeOack)
            {
                Oacks++;
                string[] fields = Encoding.ASCII.GetString(buffer, 2, count - 2).Split('\0');
                for (int i = 0; i + 1 < fields.Length; i += 2)
                {
                    _oack[fields[i]] = fields[i + 1];
                }
            }
        }
    }

    private sealed class WatchedNetwork(INetworkInterface inner, TftpWireLog log) : INetworkInterface
    {
        public byte[] MacAddress => inner.MacAddress;

        public bool IsLinkUp => inner.IsLinkUp;

        public IDatagramSocket OpenDatagram(int localPort, bool broadcast)
        {
            return new WatchedSocket(inner.OpenDatagram(localPort, broadcast), log);
        }

        public IStreamConnection Connect(uint address, int port)
        {
            return inner.Connect(address, port);
        }

        public void ConfigureAddress(uint address, uint subnetMask, uint gateway, uint[] dnsServers)
        {
            inner.ConfigureAddress(address, subnetMask, gateway, dnsServers);
        }

        public bool UseVlan(int vlan)
        {
            return inner.UseVlan(vlan);
        }
    }

    private sealed class WatchedSocket(IDatagramSocket inner, TftpWireLog log) : IDatagramSocket
    {
        public int LocalPort => inner.LocalPort;

        public void Send(byte[] data, int offset, int count, uint address, int port)
        {
            inner.Send(data, offset, count, address, port);
        }

        public int Receive(byte[] buffer, out uint address, out int port)
        {
            int count = inner.Receive(buffer, out address, out port);
            if (count > 0)
            {
                log.Received(buffer, count);
            }

            return count;
        }

        public void Close()
        {
            inner.Close();
        }
    }
}
