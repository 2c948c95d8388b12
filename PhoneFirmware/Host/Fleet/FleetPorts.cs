using System.Net;
using System.Net.Sockets;
using System.Threading;
using Hal.Host;

namespace PhoneFirmware.Host.Fleet;

/// <summary>
/// Local UDP ports for the fleet's sockets, taken in turn from a range below the kernel's
/// ephemeral one. All phones share one address, so a port one phone just closed must not go
/// straight to the next: a server may still send the old transfer's retransmissions there, or
/// (our TFTP server) drop a new request from it as a repeat. Turning through the range keeps a
/// closed port unused for as long as possible. Ports in use by anyone are skipped.
/// </summary>
public static class FleetPorts
{
    public const int First = 20000;
    public const int Last = 32767;
    // The whole range: another fleet process on this host (a shard) may hold thousands of ports in
    // a row, and the turn passes each of them only once.
    private const int Attempts = Last - First + 1;
    private static int _next = -1;

    /// <summary>A non-blocking UDP socket on <paramref name="localAddress"/>: <paramref name="localPort"/>, or the next free port of the range for 0.</summary>
    public static UdpDatagramSocket Open(IPAddress localAddress, int localPort, bool broadcast)
    {
        if (localPort != 0)
        {
            return new UdpDatagramSocket(localAddress, localPort, broadcast, null);
        }

        for (int attempt = 0; ; attempt++)
        {
            int port = First + (int)((uint)Interlocked.Increment(ref _next) % (Last - First + 1));
            try
            {
                return new UdpDatagramSocket(localAddress, port, broadcast, null, reuseAddress: false);
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < Attempts)
            {
                // taken (by a phone still holding it, or another program): the next one
            }
        }
    }
}
