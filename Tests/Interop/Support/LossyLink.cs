using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Tests.Support;

namespace Tests.Interop.Support;

/// <summary>
/// A network namespace joined to this one by a veth pair (10.99.N.1/30 here, 10.99.N.2/30 inside)
/// that loses a share of the datagrams in both directions. The loss is <c>tc netem loss P%</c> on
/// both veth ends when the kernel has the netem qdisc; a kernel built without it (CONFIG_NET_SCH_NETEM
/// unset, as on the CI's VM) gets the same random loss from nftables instead: a netdev ingress
/// rule <c>numgen random mod 100 &lt; P drop</c> on each end, which drops silently as a lossy wire
/// does (an OUTPUT-hook drop would fail the sender's sendto with EPERM instead). <see cref="Mechanism"/>
/// says which one is in force. Everything is removed on <see cref="Dispose"/>, also after a failure.
/// </summary>
public sealed class LossyLink : IDisposable
{
    private static int s_counter;
    private readonly List<string> _cleanup = new();

    public LossyLink(int lossPercent)
    {
        int index = (Environment.ProcessId * 7 + Interlocked.Increment(ref s_counter)) % 250;
        string tag = index.ToString(CultureInfo.InvariantCulture);
        Namespace = "tftploss" + tag;
        HostInterface = "tlA" + tag;
        PeerInterface = "tlB" + tag;
        HostAddress = "10.99." + tag + ".1";
        PeerAddress = "10.99." + tag + ".2";
        LossPercent = lossPercent;

        // Left over from a run that was killed: start clean.
        Ip("netns del " + Namespace, check: false);
        Ip("link del " + HostInterface, check: false);

        try
        {
            Ip("netns add " + Namespace);
            _cleanup.Add("netns del " + Namespace);
            Ip("link add " + HostInterface + " type veth peer name " + PeerInterface);
            _cleanup.Insert(0, "link del " + HostInterface);
            Ip("link set " + PeerInterface + " netns " + Namespace);
            Ip("addr add " + HostAddress + "/30 dev " + HostInterface);
            Ip("link set " + HostInterface + " up");
            Ip("-n " + Namespace + " addr add " + PeerAddress + "/30 dev " + PeerInterface);
            Ip("-n " + Namespace + " link set " + PeerInterface + " up");
            Ip("-n " + Namespace + " link set lo up");
            Mechanism = AddLoss();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Namespace { get; }

    public string HostInterface { get; }

    public string PeerInterface { get; }

    /// <summary>This side's address (the test process stays in the root namespace).</summary>
    public string HostAddress { get; }

    /// <summary>The address inside the namespace, where the peer runs.</summary>
    public string PeerAddress { get; }

    public int LossPercent { get; }

    /// <summary>How the loss is made: "tc netem" or "nftables (no netem in this kernel)".</summary>
    public string Mechanism { get; } = string.Empty;

    /// <summary>Datagrams the loss has dropped so far, both directions (nftables counters or netem's "dropped").</summary>
    public long Dropped
    {
        get
        {
            if (Mechanism.StartsWith("nftables", StringComparison.Ordinal))
            {
                return CountAfter(Nft(null, "list table netdev " + Namespace), "counter packets ") + CountAfter(Nft(Namespace, "list table netdev " + Namespace), "counter packets ");
            }

            string tc = Peer.Require("/usr/sbin/tc");
            return CountAfter(Run(tc, "-s qdisc show dev " + HostInterface), "dropped ") + CountAfter(Run(tc, "-n " + Namespace + " -s qdisc show dev " + PeerInterface), "dropped ");
        }
    }

    /// <summary>A long-running program inside the namespace (killed with its namespace on dispose).</summary>
    public BackgroundProcess StartInside(string program, string arguments, string workingDirectory)
    {
        return new BackgroundProcess(IpPath, "netns exec " + Namespace + " " + program + " " + arguments, workingDirectory);
    }

    /// <summary>Runs a program inside the namespace to completion.</summary>
    public (int ExitCode, string Output) RunInside(string program, string arguments, string workingDirectory, TimeSpan timeout)
    {
        return ProcessRunner.Run(IpPath, "netns exec " + Namespace + " " + program + " " + arguments, workingDirectory, timeout);
    }

    public void Dispose()
    {
        foreach (string command in _cleanup)
        {
            if (command.StartsWith("nft ", StringComparison.Ordinal))
            {
                Nft(null, command.Substring(4), check: false);
            }
            else
            {
                Ip(command, check: false);
            }
        }

        _cleanup.Clear();
    }

    private static string IpPath => Peer.Require("/usr/sbin/ip");

    private string AddLoss()
    {
        string tc = Peer.Require("/usr/sbin/tc");
        string loss = "loss " + LossPercent.ToString(CultureInfo.InvariantCulture) + "%";
        (int exit, string output) = ProcessRunner.Run(tc, "qdisc add dev " + HostInterface + " root netem " + loss, "/", TimeSpan.FromSeconds(10));
        if (exit == 0)
        {
            Run(tc, "-n " + Namespace + " qdisc add dev " + PeerInterface + " root netem " + loss);
            return "tc netem";
        }

        if (!output.Contains("qdisc kind is unknown", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("tc qdisc add netem failed: " + output);
        }

        // No netem in this kernel: the same random loss from nftables, at each end's ingress.
        AddNftLoss(null, HostInterface);
        _cleanup.Insert(0, "nft delete table netdev " + Namespace);
        AddNftLoss(Namespace, PeerInterface);
        return "nftables (no netem in this kernel)";
    }

    private void AddNftLoss(string? inside, string device)
    {
        string table = "netdev " + Namespace;
        Nft(inside, "add table " + table);
        Nft(inside, "add chain " + table + " loss { type filter hook ingress device " + device + " priority 0 ; policy accept ; }");
        Nft(inside, "add rule " + table + " loss numgen random mod 100 < " + LossPercent.ToString(CultureInfo.InvariantCulture) + " counter drop");
    }

    private static long CountAfter(string listing, string label)
    {
        int at = listing.IndexOf(label, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        at += label.Length;
        int end = at;
        while (end < listing.Length && char.IsAsciiDigit(listing[end]))
        {
            end++;
        }

        return long.Parse(listing.AsSpan(at, end - at), CultureInfo.InvariantCulture);
    }

    private static string Nft(string? inside, string arguments, bool check = true)
    {
        string nft = Peer.Require("/usr/sbin/nft");
        return inside == null
            ? Run(nft, arguments, check)
            : Run(IpPath, "netns exec " + inside + " " + nft + " " + arguments, check);
    }

    private static void Ip(string arguments, bool check = true)
    {
        Run(IpPath, arguments, check);
    }

    private static string Run(string program, string arguments, bool check = true)
    {
        (int exit, string output) = ProcessRunner.Run(program, arguments, "/", TimeSpan.FromSeconds(20));
        if (check && exit != 0)
        {
            throw new InvalidOperationException(program + " " + arguments + " failed (" + exit + "): " + output);
        }

        return output;
    }
}
