// Reference-only stub. Transcribed from nanoframework/System.Net@713b02c9fea5:
// nanoFramework.System.Net/Sockets/Socket.cs, SocketException.cs, Sockets/AddressFamily.cs,
// SocketType.cs, ProtocolType.cs, SocketFlags.cs, SocketOptionLevel.cs, SocketOptionName.cs,
// SelectMode.cs (signatures only; enums list the members the device code uses, values as upstream).
namespace System.Net.Sockets
{
    public class Socket : IDisposable
    {
        public Socket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType) => throw null;

        public int Available => throw null;

        public EndPoint LocalEndPoint => throw null;

        public EndPoint RemoteEndPoint => throw null;

        public int ReceiveTimeout { get => throw null; set => throw null; }

        public int SendTimeout { get => throw null; set => throw null; }

        public void Bind(EndPoint localEP) => throw null;

        public void Connect(EndPoint remoteEP) => throw null;

        public void Close() => throw null;

        public int Send(byte[] buffer, int offset, int size, SocketFlags socketFlags) => throw null;

        public int SendTo(byte[] buffer, int offset, int size, SocketFlags socketFlags, EndPoint remoteEP) => throw null;

        public int Receive(byte[] buffer, int offset, int size, SocketFlags socketFlags) => throw null;

        public int ReceiveFrom(byte[] buffer, int offset, int size, SocketFlags socketFlags, ref EndPoint remoteEP) => throw null;

        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, int optionValue) => throw null;

        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, bool optionValue) => throw null;

        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, byte[] optionValue) => throw null;

        public bool Poll(int microSeconds, SelectMode mode) => throw null;

        protected virtual void Dispose(bool disposing) => throw null;

        void IDisposable.Dispose() => throw null;
    }

    public class SocketException : Exception
    {
        public SocketException(SocketError errorCode) => throw null;

        public int ErrorCode => throw null;
    }

    public enum SocketError
    {
        SocketError = -1,
        Success = 0,
    }

    public enum AddressFamily
    {
        Unknown = -1,
        Unspecified = 0,
        InterNetwork = 2,
        InterNetworkV6 = 23,
    }

    public enum SocketType
    {
        Stream = 1,
        Dgram = 2,
        Unknown = -1,
    }

    public enum ProtocolType
    {
        IP = 0,
        Tcp = 6,
        Udp = 17,
    }

    [Flags]
    public enum SocketFlags
    {
        None = 0x0000,
    }

    public enum SocketOptionLevel
    {
        Socket = 0xffff,
        IP = ProtocolType.IP,
        Tcp = ProtocolType.Tcp,
        Udp = ProtocolType.Udp,
    }

    public enum SocketOptionName
    {
        NoDelay = 1,
        ReuseAddress = 0x0004,
        Broadcast = 0x0020,
    }

    public enum SelectMode
    {
        SelectRead = 0,
        SelectWrite = 1,
        SelectError = 2,
    }
}
