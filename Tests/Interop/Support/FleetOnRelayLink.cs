using System;
using Tests.Support;

namespace Tests.Interop.Support;

/// <summary>
/// The link `phone fleet --relay` runs on: a namespace pair with the servers in its server
/// namespace and the fleet's relay address (host 2) added in its client namespace, and the fleet's
/// command line there: DNs from 1000 with PIN ***DN stored, every n-th phone typing it instead,
/// relayed to the DHCP server on the server address, events as JSON and a summary file.
/// </summary>
public sealed class FleetOnRelayLink : IDisposable
{
    public const int DnBase = 1000;

    public FleetOnRelayLink(string label)
    {
        Pair = new NetworkNamespacePair(label);
        Relay = Pair.Address(2);
        (int addExit, string addOutput) = Pair.Run(Pair.ClientNamespace, "/usr/sbin/ip", "addr add " + Relay + "/24 dev " + Pair.ClientInterface, "/", TimeSpan.FromSeconds(10));
        if (addExit != 0)
        {
            Pair.Dispose();
            Assert.Fail("ip addr add " + Relay + ": " + addOutput);
        }
    }

    public NetworkNamespacePair Pair { get; }

    /// <summary>The fleet's one address in the client namespace: the relay agent's giaddr.</summary>
    public string Relay { get; }

    /// <param name="more">Further options (e.g. --flash-dir).</param>
    public string FleetArguments(int phones, string macBase, int typedEvery, int seed, int timeoutSeconds, string summaryFile, string more = "")
    {
        return BuiltPrograms.Phone + $" fleet --count {phones} --threads 2 --relay {Relay} --dhcp-server {Pair.ServerAddress} --mac-base {macBase}"
            + $" --dn-base {DnBase} --pin-pattern \"***{{dn}}\" --typed-every {typedEvery} --seed {seed} --timeout {timeoutSeconds} --events json"
            + (more.Length > 0 ? " " + more : string.Empty) + $" --summary-json {summaryFile}";
    }

    public void Dispose()
    {
        Pair.Dispose();
    }
}
