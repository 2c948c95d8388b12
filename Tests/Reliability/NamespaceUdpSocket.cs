using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace Tests.Reliability;

/// <summary>
/// A UDP socket that lives in another network namespace, made by the test process itself: a
/// short-lived thread enters the namespace (setns), creates and binds the socket, and goes back. A
/// socket stays in the namespace it was created in, so the test sends and receives on that
/// namespace's link without a helper program. Linux only, needs root.
/// </summary>
public static class NamespaceUdpSocket
{
    private const int CloneNewNet = 0x40000000;
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    /// <summary>A UDP socket in namespace <paramref name="space"/>, bound to <paramref name="local"/> on <paramref name="device"/>.</summary>
    public static Socket Open(string space, string device, IPEndPoint local)
    {
        return Inside(space, () =>
        {
            Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.EnableBroadcast = true;
                socket.ReceiveBufferSize = 4 * 1024 * 1024;
                byte[] name = new byte[device.Length + 1];
                for (int i = 0; i < device.Length; i++)
                {
                    name[i] = (byte)device[i];
                }

                socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
                socket.Bind(local);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });
    }

    /// <summary>
    /// Runs <paramref name="create"/> on a thread inside namespace <paramref name="space"/> and
    /// returns what it made: the sockets it opens (also those of an object such as a server host)
    /// stay in that namespace. What it throws is rethrown here, inside an InvalidOperationException.
    /// </summary>
    public static T Inside<T>(string space, Func<T> create)
    {
        T? made = default;
        Exception? failure = null;
        Thread thread = new(() =>
        {
            int original = Open("/proc/thread-self/ns/net", 0);
            int target = Open("/var/run/netns/" + space, 0);
            try
            {
                if (original < 0 || target < 0 || Setns(target, CloneNewNet) != 0)
                {
                    failure = new InvalidOperationException("cannot enter network namespace " + space + " (errno " + Marshal.GetLastPInvokeError() + ")");
                    return;
                }

                try
                {
                    made = create();
                }
                catch (Exception e)
                {
                    failure = e;
                }
                finally
                {
                    Setns(original, CloneNewNet);
                }
            }
            finally
            {
                Close(original);
                Close(target);
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null || made == null)
        {
            throw new InvalidOperationException("nothing made in " + space, failure);
        }

        return made;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int Setns(int fd, int type);
}
