using Protocol.Common;
using Protocol.Dhcp;

namespace PhoneFirmware.Core.Registration;

/// <summary>The elements a frame names (Redirect's target, the DN's other element), and how events name them.</summary>
public static class ElementEndpoint
{
    /// <summary>The element a frame's host and port fields name, or null when the host is empty.</summary>
    public static ServerEndpoint? FromFrame(string host, int port)
    {
        if (host.Length == 0)
        {
            return null;
        }

        ServerEndpoint endpoint = new ServerEndpoint();
        endpoint.Host = host;
        uint address;
        endpoint.Address = Ipv4.TryParse(host, out address) ? address : 0;
        endpoint.Port = port;
        return endpoint;
    }

    /// <summary>"host:port", the default port filled in when the server named none.</summary>
    public static string Describe(ServerEndpoint server, int defaultPort)
    {
        return server.Host + ":" + (server.Port != 0 ? server.Port : defaultPort).ToString();
    }
}
