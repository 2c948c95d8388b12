using System;
using Tests.Interop.Support;
using Tests.Support;

namespace Tests.Interop.Dhcp;

/// <summary>The segment the DHCP interop tests run on: two namespaces, one veth pair, gone after dispose.</summary>
[TestClass]
public sealed class NetworkNamespacePairTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestMethod]
    public void CreatesALinkedPairAndDeletesItOnDispose()
    {
        string serverNamespace;
        using (NetworkNamespacePair pair = new())
        {
            serverNamespace = pair.ServerNamespace;
            (int exitCode, string output) = pair.Run(pair.ServerNamespace, "/usr/sbin/ip", "-4 addr show " + pair.ServerInterface, "/", Timeout);
            Assert.AreEqual(0, exitCode, output);
            StringAssert.Contains(output, pair.ServerAddress + "/24");
            StringAssert.Contains(output, "UP");

            (exitCode, output) = pair.Run(pair.ClientNamespace, "/usr/sbin/ip", "-4 addr show " + pair.ClientInterface, "/", Timeout);
            Assert.AreEqual(0, exitCode, output);
            Assert.IsFalse(output.Contains("inet ", StringComparison.Ordinal), "the client side must start without an address: " + output);
            (exitCode, output) = pair.Run(pair.ClientNamespace, "/usr/sbin/ip", "link show " + pair.ClientInterface, "/", Timeout);
            StringAssert.Contains(output, "state UP");
        }

        (int listCode, string list) = ProcessRunner.Run("/usr/sbin/ip", "netns list", "/", Timeout);
        Assert.AreEqual(0, listCode, list);
        Assert.IsFalse(list.Contains(serverNamespace, StringComparison.Ordinal), "namespace left behind: " + list);
    }
}
