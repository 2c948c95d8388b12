using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using Tests.Support;

namespace Tests.Interop.Support;

/// <summary>
/// Two fresh Linux network namespaces joined by a veth pair, for peers that need a real segment
/// (DHCP broadcasts). The server side ("a") gets <see cref="ServerAddress"/>/24, the client side
/// ("b") no address. Names and the subnet are random per instance, so tests never share a
/// segment and never touch the machine's own network. Dispose kills whatever still runs inside
/// the namespaces and deletes them (which deletes the veth pair), also after a failure.
/// Needs root.
/// </summary>
public sealed class NetworkNamespacePair : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private readonly List<string> _created = new();

    public NetworkNamespacePair()
        : this(string.Empty)
    {
    }

    /// <param name="label">A few letters in every name (e.g. "fleet"), so a test's namespaces and links say whose they are (the first 6 in link names).</param>
    public NetworkNamespacePair(string label)
    {
        Peer.Require(Ip);
        if (Environment.UserName != "root")
        {
            Assert.Fail("network namespaces need root; run the interop tests as root (CI and the dev machines do)");
        }

        string id = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        int subnet = RandomNumberGenerator.GetInt32(1, 255);
        ServerNamespace = "pf-" + label + (label.Length > 0 ? "-" : string.Empty) + id + "-a";
        ClientNamespace = "pf-" + label + (label.Length > 0 ? "-" : string.Empty) + id + "-b";
        string shortLabel = label.Length > 6 ? label.Substring(0, 6) : label; // interface names: at most 15 characters
        ServerInterface = "pf" + shortLabel + id + "a";
        ClientInterface = "pf" + shortLabel + id + "b";
        Prefix = "10.77." + subnet.ToString(CultureInfo.InvariantCulture) + ".";
        ServerAddress = Address(1);
        try
        {
            IpCommand("netns add " + ServerNamespace);
            _created.Add(ServerNamespace);
            IpCommand("netns add " + ClientNamespace);
            _created.Add(ClientNamespace);
            IpCommand("link add " + ServerInterface + " netns " + ServerNamespace + " type veth peer name " + ClientInterface + " netns " + ClientNamespace);
            IpCommand("-n " + ServerNamespace + " addr add " + ServerAddress + "/24 dev " + ServerInterface);
            foreach ((string space, string link) in new[] { (ServerNamespace, ServerInterface), (ClientNamespace, ClientInterface) })
            {
                IpCommand("-n " + space + " link set lo up");
                IpCommand("-n " + space + " link set " + link + " up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string ServerNamespace { get; }

    public string ClientNamespace { get; }

    /// <summary>The veth end in the server namespace, holding <see cref="ServerAddress"/>/24.</summary>
    public string ServerInterface { get; }

    /// <summary>The veth end in the client namespace, up but without an address.</summary>
    public string ClientInterface { get; }

    /// <summary>The /24's first three octets with a trailing dot, e.g. "10.77.42.".</summary>
    public string Prefix { get; }

    public string ServerAddress { get; }

    private static string Ip => "/usr/sbin/ip";

    /// <summary>The address with host part <paramref name="host"/> in this pair's /24.</summary>
    public string Address(int host)
    {
        return Prefix + host.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a command to completion inside <paramref name="space"/>.</summary>
    public (int ExitCode, string Output) Run(string space, string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        return ProcessRunner.Run(Ip, "netns exec " + space + " " + file + " " + arguments, workingDirectory, timeout);
    }

    /// <summary>Starts a long-running command inside <paramref name="space"/>; dispose it before the pair.</summary>
    public BackgroundProcess Start(string space, string file, string arguments, string workingDirectory)
    {
        return new BackgroundProcess(Ip, "netns exec " + space + " " + file + " " + arguments, workingDirectory);
    }

    public void Dispose()
    {
        foreach (string space in _created)
        {
            KillProcessesIn(space);
            try
            {
                ProcessRunner.Run(Ip, "netns del " + space, "/", CommandTimeout);
            }
            catch (TimeoutException)
            {
                // nothing more to do; the name is random and will not be reused
            }
        }

        _created.Clear();
    }

    // Only processes this test started can live in a namespace it created: end them by id.
    private static void KillProcessesIn(string space)
    {
        try
        {
            (int exitCode, string output) = ProcessRunner.Run(Ip, "netns pids " + space, "/", CommandTimeout);
            if (exitCode != 0)
            {
                return;
            }

            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    try
                    {
                        using System.Diagnostics.Process process = System.Diagnostics.Process.GetProcessById(pid);
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
        }
        catch (TimeoutException)
        {
            // best effort
        }
    }

    private static void IpCommand(string arguments)
    {
        (int exitCode, string output) = ProcessRunner.Run(Ip, arguments, "/", CommandTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException("ip " + arguments + " failed (" + exitCode + "): " + output);
        }
    }
}
