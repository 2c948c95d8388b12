// Reference-only stub. Transcribed from nanoframework/System.Net@713b02c9fea5:
// nanoFramework.System.Net/EndPoint.cs, IPEndPoint.cs, IPAddress.cs, SocketAddress.cs, DNS.cs,
// IPHostEntry.cs (signatures only).
using System.Net.Sockets;

namespace System.Net
{
    public abstract class EndPoint
    {
        public abstract SocketAddress Serialize();

        public abstract EndPoint Create(SocketAddress socketAddress);
    }

    public class SocketAddress
    {
    }

    public class IPEndPoint : EndPoint
    {
        public const int MinPort = 0x00000000;
        public const int MaxPort = 0x0000FFFF;

        public IPEndPoint(long address, int port) => throw null;

        public IPEndPoint(IPAddress address, int port) => throw null;

        public IPAddress Address => throw null;

        public AddressFamily AddressFamily => throw null;

        public int Port => throw null;

        public override SocketAddress Serialize() => throw null;

        public override EndPoint Create(SocketAddress socketAddress) => throw null;
    }

    public class IPAddress
    {
        public static readonly IPAddress Any = null;
        public static readonly IPAddress Loopback = null;
        public static readonly IPAddress Broadcast = null;

        public IPAddress(long newAddress) => throw null;

        public IPAddress(byte[] address) => throw null;

        public AddressFamily AddressFamily => throw null;

        public byte[] GetAddressBytes() => throw null;

        public static IPAddress Parse(string ipString) => throw null;

        public static bool operator ==(IPAddress a, IPAddress b) => throw null;

        public static bool operator !=(IPAddress a, IPAddress b) => throw null;

        public override bool Equals(object other) => throw null;

        public override int GetHashCode() => throw null;
    }

    public static class Dns
    {
        public static IPHostEntry GetHostEntry(string hostNameOrAddress) => throw null;
    }

    public class IPHostEntry
    {
        public string HostName => throw null;

        public IPAddress[] AddressList => throw null;
    }
}
