using System;
using System.Net.Sockets;

namespace Hal.Host;

/// <summary>
/// A large SO_RCVBUF for a socket that takes a burst from thousands of peers at once (a boot
/// storm's DHCP replies at the fleet's relay, its read requests at a TFTP server). Plain
/// SO_RCVBUF is capped by net.core.rmem_max (often 208 KiB, a few hundred datagrams);
/// SO_RCVBUFFORCE (Linux, CAP_NET_ADMIN: root, as the relay's port 67 needs) passes the cap.
/// </summary>
public static class SocketReceiveBuffer
{
    private const int SolSocket = 1;
    private const int SoRcvBufForce = 33;

    /// <summary>Asks for <paramref name="bytes"/>; returns what the kernel granted (Linux reports twice the request, its bookkeeping included).</summary>
    public static int Enlarge(Socket socket, int bytes)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(bytes));
                return socket.ReceiveBufferSize;
            }
            catch (SocketException)
            {
                // Not privileged: the capped option below.
            }
        }

        socket.ReceiveBufferSize = bytes;
        return socket.ReceiveBufferSize;
    }
}
