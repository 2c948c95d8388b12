using System;
using System.Net.Sockets;

namespace Hal.Host;

/// <summary>SO_BINDTODEVICE, so broadcasts leave by the phone's interface (Linux).</summary>
internal static class SocketDevice
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    public static void BindToDevice(Socket socket, string interfaceName)
    {
        byte[] name = new byte[interfaceName.Length + 1];
        for (int i = 0; i < interfaceName.Length; i++)
        {
            name[i] = (byte)interfaceName[i];
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("binding to an interface needs Linux");
        }

        socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
    }
}
