using System;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace DhcpBench;

/// <summary>
/// Two fresh network namespaces joined by a veth pair, with random names and a random /16:
/// the server side holds .0.1, perfdhcp's side .0.2. perfdhcp acts as a relay (it sets giaddr to
/// its address and talks unicast to port 67), so every server sees the same relayed traffic.
/// Dispose ends what still runs inside (by pid) and deletes both namespaces.
/// </summary>
public sealed class NamespacePair : IDisposable
{
    private bool _created;

    public NamespacePair()
    {
        string id = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        int second = RandomNumberGenerator.GetInt32(100, 250);
        ServerNamespace = "dhb-" + id + "-s";
        ClientNamespace = "dhb-" + id + "-c";
        string serverLink = "dhb" + id + "s";
        string clientLink = "dhb" + id + "c";
        Prefix = "10." + second.ToString(CultureInfo.InvariantCulture) + ".";
        ServerAddress = Prefix + "0.1";
        ClientAddress = Prefix + "0.2";
        try
        {
            Ip("netns add " + ServerNamespace);
            _created = true;
            Ip("netns add " + ClientNamespace);
            Ip("link add " + serverLink + " netns " + ServerNamespace + " type veth peer name " + clientLink + " netns " + ClientNamespace);
            Ip("-n " + ServerNamespace + " addr add " + ServerAddress + "/16 dev " + serverLink);
            Ip("-n " + ClientNamespace + " addr add " + ClientAddress + "/16 dev " + clientLink);
            foreach ((string space, string link) in new[] { (ServerNamespace, serverLink), (ClientNamespace, clientLink) })
            {
                Ip("-n " + space + " link set lo up");
                Ip("-n " + space + " link set " + link + " up");
            }

            ServerInterface = serverLink;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string ServerNamespace { get; }

    public string ClientNamespace { get; }

    public string ServerInterface { get; } = string.Empty;

    /// <summary>The /16's first two octets with a trailing dot, e.g. "10.123.".</summary>
    public string Prefix { get; }

    public string ServerAddress { get; }

    public string ClientAddress { get; }

    /// <summary>The pool every server hands out: <c>P.1.0</c> to <c>P.255.254</c> (65,279 addresses).</summary>
    public string PoolStart => Prefix + "1.0";

    public string PoolEnd => Prefix + "255.254";

    public void Dispose()
    {
        if (!_created)
        {
            return;
        }

        _created = false;
        foreach (string space in new[] { ServerNamespace, ClientNamespace })
        {
            foreach (string line in Run("/usr/sbin/ip", "netns pids " + space).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    try
                    {
                        using Process process = Process.GetProcessById(pid);
                        process.Kill();
                        process.WaitForExit(2000);
                    }
                    catch (ArgumentException)
                    {
                        // already gone
                    }
                    catch (InvalidOperationException)
                    {
                        // already gone
                    }
                }
            }

            Run("/usr/sbin/ip", "netns del " + space);
        }
    }

    /// <summary>Runs a program to completion; its exit code and its output (stdout then stderr).</summary>
    public static (int ExitCode, string Output) Run(string file, string arguments, int timeoutMs = 30_000)
    {
        ProcessStartInfo start = new(file, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static void Ip(string arguments)
    {
        (int exitCode, string output) = Run("/usr/sbin/ip", arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException("ip " + arguments + " failed (" + exitCode + "): " + output.Trim());
        }
    }
}
