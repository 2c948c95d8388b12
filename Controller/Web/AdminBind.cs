using System.IO;
using System.Net;
using Controller.Configuration;

namespace Controller.Web;

/// <summary>Where the admin API and pages listen: loopback unless the configuration asks, and then with a warning.</summary>
public static class AdminBind
{
    public static IPAddress Resolve(string? configured, TextWriter log)
    {
        string text = string.IsNullOrEmpty(configured) ? "127.0.0.1" : configured;
        if (!IPAddress.TryParse(text, out IPAddress? address))
        {
            throw new ConfigException("admin.bindAddress must be an IP address, not '" + text + "'");
        }

        if (!IPAddress.IsLoopback(address))
        {
            log.WriteLine("controller: WARNING: the admin API and web pages listen on " + address + ", not loopback: anyone who can reach it can try the token");
        }

        return address;
    }
}
